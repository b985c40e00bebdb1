import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'

// WeCom callback crypto (https://developer.work.weixin.qq.com/document/path/90968), the WXBizMsgCrypt scheme:
// AESKey = base64(EncodingAESKey + '='), AES-256-CBC, IV = AESKey[0..16],
// plaintext = random(16) ‖ uint32be(len) ‖ msg ‖ receiveid, PKCS#7-padded to 32-byte blocks.

export type CallbackCryptoErrorCode =
  | 'bad_key'
  | 'bad_base64'
  | 'bad_ciphertext'
  | 'bad_padding'
  | 'bad_length'
  | 'bad_text'
  | 'receiveid_mismatch'

/** Why a ciphertext (or key) was refused. The message never carries key material or plaintext. */
export class CallbackCryptoError extends Error {
  override readonly name = 'CallbackCryptoError'
  constructor(readonly code: CallbackCryptoErrorCode) {
    super(`WeCom callback crypto: ${code.replace(/_/g, ' ')}`)
  }
}

export interface CallbackCryptoOptions {
  /** The Token from 接收消息 → 设置API接收. */
  token: string
  /** 43 characters [A-Za-z0-9]. */
  encodingAesKey: string
  /** CorpID for a self-built app; every decrypted message must name it. */
  receiveId: string
}

export interface CallbackCrypto {
  /** sha1 over the sorted strings, lowercase hex. */
  signature(timestamp: string, nonce: string, encrypt: string): string
  /** Constant-time comparison against `signature(...)`. */
  verify(msgSignature: string, timestamp: string, nonce: string, encrypt: string): boolean
  /** The `msg` part; throws CallbackCryptoError. */
  decrypt(encrypt: string): string
  /** `random16` only for reproducible tests; default is fresh random bytes. */
  encrypt(plaintext: string, random16?: Buffer): string
}

const BLOCK = 32
const RANDOM_LEN = 16
const HEADER_LEN = RANDOM_LEN + 4
// Strict: Buffer.from(_, 'base64') silently skips junk, which would let garbage through to AES.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export function createCallbackCrypto(opts: CallbackCryptoOptions): CallbackCrypto {
  if (!/^[A-Za-z0-9]{43}$/.test(opts.encodingAesKey)) throw new CallbackCryptoError('bad_key')
  const key = Buffer.from(`${opts.encodingAesKey}=`, 'base64')
  if (key.length !== 32) throw new CallbackCryptoError('bad_key')
  const iv = key.subarray(0, 16)
  const token = opts.token
  const receiveId = Buffer.from(opts.receiveId, 'utf8')
  // fatal: a message that is not UTF-8 is corrupt, not something to half-read.
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

  const signature = (timestamp: string, nonce: string, encrypt: string): string =>
    createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex')

  return {
    signature,

    verify(msgSignature, timestamp, nonce, encrypt) {
      const expected = Buffer.from(signature(timestamp, nonce, encrypt), 'utf8')
      const given = Buffer.from(msgSignature, 'utf8')
      // timingSafeEqual throws on unequal lengths; the length of a sha1 hex is public anyway.
      return given.length === expected.length && timingSafeEqual(given, expected)
    },

    decrypt(encrypt) {
      if (!encrypt || !BASE64.test(encrypt)) throw new CallbackCryptoError('bad_base64')
      const cipherBytes = Buffer.from(encrypt, 'base64')
      // At least one 32-byte padded block; AES-CBC itself needs whole 16-byte blocks.
      if (cipherBytes.length < BLOCK || cipherBytes.length % 16 !== 0) throw new CallbackCryptoError('bad_ciphertext')
      // Auto-padding off: Node would check PKCS#7 against 16-byte blocks and reject pads of 17..32.
      const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false)
      const padded = Buffer.concat([decipher.update(cipherBytes), decipher.final()])
      const pad = padded[padded.length - 1]!
      if (pad < 1 || pad > BLOCK || pad > padded.length) throw new CallbackCryptoError('bad_padding')
      for (let i = padded.length - pad; i < padded.length; i++) if (padded[i] !== pad) throw new CallbackCryptoError('bad_padding')
      const content = padded.subarray(0, padded.length - pad)
      if (content.length < HEADER_LEN) throw new CallbackCryptoError('bad_length')
      const msgLen = content.readUInt32BE(RANDOM_LEN)
      if (msgLen > content.length - HEADER_LEN) throw new CallbackCryptoError('bad_length')
      const msg = content.subarray(HEADER_LEN, HEADER_LEN + msgLen)
      const id = content.subarray(HEADER_LEN + msgLen)
      if (!id.equals(receiveId)) throw new CallbackCryptoError('receiveid_mismatch')
      try {
        return utf8.decode(msg)
      } catch {
        throw new CallbackCryptoError('bad_text')
      }
    },

    encrypt(plaintext, random16 = randomBytes(RANDOM_LEN)) {
      if (random16.length !== RANDOM_LEN) throw new RangeError('random16 must be 16 bytes')
      const msg = Buffer.from(plaintext, 'utf8')
      const len = Buffer.alloc(4)
      len.writeUInt32BE(msg.length)
      const body = Buffer.concat([random16, len, msg, receiveId])
      const pad = BLOCK - (body.length % BLOCK)
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false)
      return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64')
    },
  }
}
