import { createCipheriv, randomBytes } from 'node:crypto'
import * as wecomCrypto from '@wecom/crypto'
import { describe, expect, it } from 'vitest'
import { CallbackCryptoError, createCallbackCrypto } from '../../src/wecom/callback-crypto'
import { OFFICIAL, ourCrypto } from './helpers'

// Official vectors. PHP: sbzhu/weworkapi_php callback/Sample.php @ 0855251597a9879090766fae9d475e2ef91f28bd
// (the same values are in the Java/C# samples and in developer.work.weixin.qq.com/document/path/90968).
const PHP_VERIFY = {
  msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
}
const PHP_POST = {
  msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  // The sample's comment gives this plaintext; the 16 random bytes are what decryption reveals.
  plaintext:
    '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
  random16: Buffer.from('0960688932c47ef1', 'latin1'),
}
// Python: sbzhu/weworkapi_python callback/Sample.py @ 27220fbe9d5251d46101e33751568eae9f413666 (another corp and key).
const PY = {
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  corpId: 'ww1436e0e65a779aee',
  verify: {
    msgSignature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
    timestamp: '1476416373',
    nonce: '47744683',
    echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
  },
  post: {
    msgSignature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
    timestamp: '1476422779',
    nonce: '1597212914',
    encrypt:
      'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
  },
}

const KEY = Buffer.from(`${OFFICIAL.encodingAesKey}=`, 'base64')

/** AES-CBC over bytes we lay out ourselves, to forge every malformed plaintext. */
function sealRaw(bytes: Buffer): string {
  const c = createCipheriv('aes-256-cbc', KEY, KEY.subarray(0, 16)).setAutoPadding(false)
  return Buffer.concat([c.update(bytes), c.final()]).toString('base64')
}

function layout(msg: Buffer, receiveId: string, declaredLen = msg.length): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(declaredLen)
  return Buffer.concat([Buffer.alloc(16, 7), len, msg, Buffer.from(receiveId)])
}

function pkcs7(body: Buffer): Buffer {
  const pad = 32 - (body.length % 32)
  return Buffer.concat([body, Buffer.alloc(pad, pad)])
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    if (e instanceof CallbackCryptoError) return e.code
    throw e
  }
  return undefined
}

describe('callback crypto refuses what it cannot trust', () => {
  const c = ourCrypto()

  it('refuses an EncodingAESKey that is not 43 letters and digits', () => {
    for (const k of ['', 'short', `${OFFICIAL.encodingAesKey}A`, `${OFFICIAL.encodingAesKey.slice(0, 42)}+`]) {
      expect(codeOf(() => createCallbackCrypto({ token: 't', encodingAesKey: k, receiveId: 'x' }))).toBe('bad_key')
    }
  })

  it('refuses text that is not strict base64', () => {
    for (const s of ['', 'not base64!', `${PHP_POST.encrypt}=`, PHP_POST.encrypt.slice(1), `${PHP_POST.encrypt.slice(0, 40)} ${PHP_POST.encrypt.slice(40)}`]) {
      expect(codeOf(() => c.decrypt(s)), s.slice(0, 20)).toBe('bad_base64')
    }
  })

  it('refuses ciphertext shorter than one 32-byte block or not whole AES blocks', () => {
    expect(codeOf(() => c.decrypt(randomBytes(16).toString('base64')))).toBe('bad_ciphertext')
    expect(codeOf(() => c.decrypt(randomBytes(40).toString('base64')))).toBe('bad_ciphertext')
  })

  it('refuses a pad value of 0 or above 32, and pad bytes that disagree', () => {
    const body = layout(Buffer.from('hello'), OFFICIAL.corpId) // 43 bytes → 21 bytes of padding
    const zero = Buffer.concat([body, Buffer.alloc(21, 0)])
    const big = Buffer.concat([body, Buffer.alloc(21, 33)])
    const mixed = pkcs7(body)
    mixed[mixed.length - 5] = 3
    expect(codeOf(() => c.decrypt(sealRaw(zero)))).toBe('bad_padding')
    expect(codeOf(() => c.decrypt(sealRaw(big)))).toBe('bad_padding')
    expect(codeOf(() => c.decrypt(sealRaw(mixed)))).toBe('bad_padding')
  })

  it('refuses a declared length longer than the message, and a plaintext too short for its header', () => {
    expect(codeOf(() => c.decrypt(sealRaw(pkcs7(layout(Buffer.from('hello'), OFFICIAL.corpId, 1000)))))).toBe('bad_length')
    expect(codeOf(() => c.decrypt(sealRaw(pkcs7(Buffer.alloc(10, 1)))))).toBe('bad_length')
  })

  it('refuses a message sealed for another corp (receiveid), or for none', () => {
    const other = createCallbackCrypto({ token: OFFICIAL.token, encodingAesKey: OFFICIAL.encodingAesKey, receiveId: 'ww_other_corp' })
    expect(codeOf(() => c.decrypt(other.encrypt('<xml/>')))).toBe('receiveid_mismatch')
    expect(codeOf(() => c.decrypt(sealRaw(pkcs7(layout(Buffer.from('x'), '')))))).toBe('receiveid_mismatch')
    // a receiveid that merely starts with ours
    expect(codeOf(() => c.decrypt(sealRaw(pkcs7(layout(Buffer.from('x'), `${OFFICIAL.corpId}x`)))))).toBe('receiveid_mismatch')
  })

  it('refuses a message that is not UTF-8', () => {
    expect(codeOf(() => c.decrypt(sealRaw(pkcs7(layout(Buffer.from([0xff, 0xfe, 0x41]), OFFICIAL.corpId)))))).toBe('bad_text')
  })

  it('does not verify a wrong, tampered, truncated or re-cased signature', () => {
    const { msgSignature: sig, timestamp, nonce, encrypt } = PHP_POST
    expect(c.verify('0'.repeat(40), timestamp, nonce, encrypt)).toBe(false)
    expect(c.verify(sig, timestamp, nonce, `${encrypt.slice(0, -4)}AAA=`)).toBe(false)
    expect(c.verify(sig, String(Number(timestamp) + 1), nonce, encrypt)).toBe(false)
    expect(c.verify(sig.slice(0, 39), timestamp, nonce, encrypt)).toBe(false)
    expect(c.verify(sig.toUpperCase(), timestamp, nonce, encrypt)).toBe(false)
    expect(c.verify('', timestamp, nonce, encrypt)).toBe(false)
  })

  it('error messages carry the code only, never key material', () => {
    const e = new CallbackCryptoError('bad_padding')
    expect(e.message).toBe('WeCom callback crypto: bad padding')
  })
})

describe('callback crypto matches the official WXBizMsgCrypt samples', () => {
  it('PHP sample, URL verification: signature over echostr, echostr decrypts to the digits to echo', () => {
    const c = ourCrypto()
    const v = PHP_VERIFY
    expect(c.signature(v.timestamp, v.nonce, v.echostr)).toBe(v.msgSignature)
    expect(c.verify(v.msgSignature, v.timestamp, v.nonce, v.echostr)).toBe(true)
    expect(c.decrypt(v.echostr)).toBe('1616140317555161061')
  })

  it('PHP sample, message POST: signature, plaintext, and byte-exact re-encryption with the same random', () => {
    const c = ourCrypto()
    const p = PHP_POST
    expect(c.verify(p.msgSignature, p.timestamp, p.nonce, p.encrypt)).toBe(true)
    expect(c.decrypt(p.encrypt)).toBe(p.plaintext)
    expect(c.encrypt(p.plaintext, p.random16)).toBe(p.encrypt)
  })

  it('Python sample (another corp and key): verification and message', () => {
    const c = createCallbackCrypto({ token: PY.token, encodingAesKey: PY.encodingAesKey, receiveId: PY.corpId })
    expect(c.verify(PY.verify.msgSignature, PY.verify.timestamp, PY.verify.nonce, PY.verify.echostr)).toBe(true)
    expect(c.decrypt(PY.verify.echostr)).toBe('1288432023552776189')
    expect(c.verify(PY.post.msgSignature, PY.post.timestamp, PY.post.nonce, PY.post.encrypt)).toBe(true)
    expect(c.decrypt(PY.post.encrypt)).toContain('<Content>你好</Content>')
    // the PHP corp's crypto refuses the Python corp's message
    expect(codeOf(() => ourCrypto().decrypt(PY.post.encrypt))).toBeDefined()
  })
})

describe('callback crypto round trips, and agrees with @wecom/crypto', () => {
  const c = ourCrypto()
  // Lengths around the 32-byte boundaries, including a body that needs a whole block of padding (26 → 64 bytes).
  const messages = ['', 'a', 'x'.repeat(26), 'x'.repeat(27), '你好，世界', '<xml><Content><![CDATA[😀 & <b>]]></Content></xml>', 'y'.repeat(5000)]

  it('decrypts what it encrypts, with fresh randomness each time', () => {
    for (const m of messages) {
      const a = c.encrypt(m)
      expect(c.decrypt(a)).toBe(m)
      expect(c.encrypt(m)).not.toBe(a)
    }
  })

  it('a 26-byte message gets a full 32-byte pad block, as WeCom pads', () => {
    const encrypted = c.encrypt('x'.repeat(26), Buffer.alloc(16, 1))
    expect(Buffer.from(encrypted, 'base64').length).toBe(96)
  })

  it('@wecom/crypto decrypts ours and we decrypt theirs; signatures agree', () => {
    for (const m of messages) {
      const random = randomBytes(16)
      const ours = c.encrypt(m, random)
      const theirs = wecomCrypto.encrypt(OFFICIAL.encodingAesKey, m, OFFICIAL.corpId, random)
      expect(ours).toBe(theirs)
      expect(wecomCrypto.decrypt(OFFICIAL.encodingAesKey, ours)).toMatchObject({ message: m, id: OFFICIAL.corpId })
      expect(c.decrypt(theirs)).toBe(m)
      expect(c.signature('1700000000', 'n0nce', ours)).toBe(wecomCrypto.getSignature(OFFICIAL.token, '1700000000', 'n0nce', ours))
    }
  })
})
