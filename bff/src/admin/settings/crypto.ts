import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * Secrets saved in the console, encrypted at rest: AES-256-GCM under a key derived (HKDF-SHA256)
 * from SETTINGS_KEY or SESSION_SECRET. Stored as `v1.<iv>.<ciphertext>.<tag>` (base64url). The
 * setting's name is authenticated too, so a ciphertext copied onto another row does not decrypt.
 */
export interface SettingsCipher {
  encrypt(name: string, plaintext: string): string
  /** null when the value is not ours: another key (SETTINGS_KEY changed), tampered, or malformed. */
  decrypt(name: string, stored: string): string | null
}

const VERSION = 'v1'
// Fixed, public: they only separate this key from any other use of the same secret.
const SALT = 'wecom-portal/settings'
const INFO = 'aes-256-gcm/v1'

export function createSettingsCipher(secret: string): SettingsCipher {
  const key = Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32))
  return {
    encrypt(name, plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(name, 'utf8'))
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return [VERSION, iv, ct, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.')
    },
    decrypt(name, stored) {
      const parts = stored.split('.')
      if (parts.length !== 4 || parts[0] !== VERSION) return null
      const [iv, ct, tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer]
      if (iv.length !== 12 || tag.length !== 16) return null
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
        decipher.setAAD(Buffer.from(name, 'utf8'))
        decipher.setAuthTag(tag)
        return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8')
      } catch {
        return null
      }
    },
  }
}
