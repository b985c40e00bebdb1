import { createCipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * WeCom's message crypto (https://developer.work.weixin.qq.com/document/path/90968), sending side only: the sandbox encrypts and signs,
 * the app decrypts and checks. Kept internal: the portal has its own independent implementation.
 */

/** PKCS#7 to a multiple of 32 bytes — not AES's 16, so Node's own padding cannot be used. */
const BLOCK = 32

/** AESKey = base64(EncodingAESKey + '='), 32 bytes. */
export function aesKeyOf(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  if (key.length !== 32) throw new Error('EncodingAESKey must decode to 32 bytes')
  return key
}

/** base64(AES-256-CBC(random16 ‖ uint32be(len) ‖ msg ‖ receiveId ‖ pad)), IV = key[0..16]. */
export function encryptMessage(encodingAesKey: string, msg: string, receiveId: string): string {
  const key = aesKeyOf(encodingAesKey)
  const body = Buffer.from(msg, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(body.length)
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(receiveId, 'utf8')])
  const pad = BLOCK - (plain.length % BLOCK)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64')
}

/** sha1 over the four strings sorted and joined, hex. */
export function signMessage(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex')
}

/** A numeric nonce like the ones WeCom sends. */
export function newNonce(): string {
  return String(randomBytes(4).readUInt32BE())
}
