import { describe, expect, it } from 'vitest'
import { createSettingsCipher } from '../../src/admin/settings/crypto'

const KEY = 'settings-test-key-0123456789abcdef-0123456789'

describe('settings cipher (AES-256-GCM, HKDF-derived key)', () => {
  it('does not decrypt with another key, for another setting, or once tampered with', () => {
    const cipher = createSettingsCipher(KEY)
    const stored = cipher.encrypt('secret', 'app-secret-value')
    expect(createSettingsCipher(`${KEY}-rotated`).decrypt('secret', stored)).toBeNull()
    // The setting's name is authenticated: a ciphertext copied to another row is useless.
    expect(cipher.decrypt('contactSecret', stored)).toBeNull()
    const [v, iv, ct, tag] = stored.split('.') as [string, string, string, string]
    const flip = (s: string) => Buffer.from(Buffer.from(s, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64url')
    for (const bad of [[v, iv, flip(ct), tag], [v, flip(iv), ct, tag], [v, iv, ct, flip(tag)], ['v2', iv, ct, tag], [v, iv, ct]]) {
      expect(cipher.decrypt('secret', bad.join('.')), bad.join('.')).toBeNull()
    }
    expect(cipher.decrypt('secret', 'app-secret-value')).toBeNull()
  })

  it('stores v1.<iv>.<ciphertext>.<tag> in base64url, fresh each time, and decrypts back', () => {
    const cipher = createSettingsCipher(KEY)
    const a = cipher.encrypt('secret', 'app-secret-value')
    const b = cipher.encrypt('secret', 'app-secret-value')
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/)
    expect(a).not.toBe(b)
    expect(a).not.toContain('app-secret-value')
    expect(cipher.decrypt('secret', a)).toBe('app-secret-value')
    expect(createSettingsCipher(KEY).decrypt('secret', b)).toBe('app-secret-value')
  })
})
