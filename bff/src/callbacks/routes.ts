import { endpoints } from '@portal/shared'
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv } from '../app-env'
import type { RuntimeSettings } from '../admin/settings/runtime'
import type { HealthMarks } from '../admin/marks'
import type { Db } from '../db'
import type { Logger } from '../log'
import { CallbackCryptoError, createCallbackCrypto, type CallbackCrypto } from '../wecom/callback-crypto'
import { CallbackXmlError, parseEnvelope, parseMessage, XML_DEFAULT_MAX_BYTES, type CallbackMessage } from '../wecom/callback-xml'
import { describeCallback } from './dispatcher'
import { callbackHash, createInboxWriter } from './inbox'
import { BodyTooLargeError, readRequestBytes } from '../http/read-body'
import type { CallbackWorker } from './worker'

export const CALLBACK_PATH = endpoints.wecomCallback.path

/** `marks` (optional for tests that mount only these routes) records outcomes for the doctor. */
export interface CallbackRoutesNeeds {
  db: Db
  log: Logger
  now: () => number
  marks?: Pick<HealthMarks, 'record'>
  settings: Pick<RuntimeSettings, 'get'>
}

export interface CallbackRouteOptions {
  /** POST body cap (the encrypted envelope). Default 512 KB. */
  maxBodyBytes?: number
  /** Decrypted plaintext cap. Default 256 KB. */
  maxXmlBytes?: number
  /** How far `timestamp` may be from our clock, either way. Default 5 min. */
  maxSkewMs?: number
}

export const CALLBACK_DEFAULTS = { maxBodyBytes: 512 * 1024, maxXmlBytes: XML_DEFAULT_MAX_BYTES, maxSkewMs: 5 * 60_000 } as const

/** `mark`: the reason a signed-looking request failed, recorded as `callback_failed` for the doctor. */
type Rejection = { status: ContentfulStatusCode; reason: string; detail?: object; mark?: CallbackFailure }

/** Why a callback that looked like WeCom's was refused (health mark `callback_failed`). */
export type CallbackFailure = 'signature' | 'decrypt' | 'receiveid' | 'xml'

/**
 * WeCom's callback URL (接收消息, https://developer.work.weixin.qq.com/document/path/90930): GET answers the URL check on Save, POST
 * queues the event and answers 200 with an empty body at once; the worker applies it later,
 * because WeCom gives us 5 s and retries (3 times) on anything slower or non-200.
 * Anything that is not a genuine, fresh WeCom callback for our corp gets a 4xx and changes nothing.
 */
export function callbackRoutes(deps: CallbackRoutesNeeds, worker: Pick<CallbackWorker, 'wake'>, options: CallbackRouteOptions = {}) {
  const { db, log, now, marks } = deps
  const limits = { ...CALLBACK_DEFAULTS, ...options }
  // Settings may change the Token, key or corp at run time: read them per request.
  const cryptoFor = memoizedCrypto(log)
  // A burst of callbacks shares inserts and commits; each is answered once its row is stored.
  const inbox = createInboxWriter(db)

  function reject(c: Context<AppEnv>, r: Rejection): Response {
    // Only the reason and public request facts: never the token, key, ciphertext or plaintext.
    log.warn('wecom callback rejected', { requestId: c.get('requestId'), method: c.req.method, status: r.status, reason: r.reason, ...r.detail })
    // Malformed requests are noise from anyone; a signed one that fails tells the doctor the
    // console's Token/EncodingAESKey differ from ours.
    if (r.mark) marks?.record('callback_failed', { reason: r.mark, method: c.req.method })
    return c.text(r.reason, r.status)
  }

  return new Hono<AppEnv>()
    .get(endpoints.wecomCallbackCheck.path, (c) => {
      const crypto = cryptoFor(cryptoSettings(deps.settings))
      if (!crypto) return reject(c, NOT_CONFIGURED)
      const q = signedQuery(c, true)
      if ('reason' in q) return reject(c, q)
      if (!crypto.verify(q.signature, q.timestamp, q.nonce, q.echostr)) return reject(c, BAD_SIGNATURE)
      // No freshness window here: WeCom's Save check is replayable harmlessly (it only echoes).
      const plain = decrypt(crypto, q.echostr)
      if (typeof plain !== 'string') return reject(c, plain)
      log.info('wecom callback URL verified', { requestId: c.get('requestId') })
      marks?.record('callback_verified')
      // Exactly the plaintext: WeCom compares bytes (no quotes, BOM or newline).
      return c.body(plain, 200, { 'Content-Type': 'text/plain; charset=utf-8' })
    })

    .post(endpoints.wecomCallback.path, async (c) => {
      const crypto = cryptoFor(cryptoSettings(deps.settings))
      if (!crypto) return reject(c, NOT_CONFIGURED)
      const q = signedQuery(c, false)
      if ('reason' in q) return reject(c, q)
      const skewMs = Math.abs(now() - Number(q.timestamp) * 1000)
      if (skewMs > limits.maxSkewMs) return reject(c, { status: 400, reason: 'stale timestamp', detail: { skewSeconds: Math.round(skewMs / 1000) } })

      let body: string
      try {
        body = (await readRequestBytes(c, limits.maxBodyBytes)).toString('utf8')
      } catch (e) {
        if (e instanceof BodyTooLargeError) return reject(c, { status: 413, reason: 'body too large', detail: { limit: e.limit } })
        throw e
      }
      let encrypt: string
      try {
        encrypt = parseEnvelope(body, { maxBytes: limits.maxBodyBytes }).encrypt
      } catch (e) {
        return reject(c, xmlRejection(e, 'envelope'))
      }
      if (!crypto.verify(q.signature, q.timestamp, q.nonce, encrypt)) return reject(c, BAD_SIGNATURE)
      const plain = decrypt(crypto, encrypt)
      if (typeof plain !== 'string') return reject(c, plain)
      let msg: CallbackMessage
      try {
        msg = parseMessage(plain, { maxBytes: limits.maxXmlBytes })
      } catch (e) {
        return reject(c, xmlRejection(e, 'message'))
      }

      const hash = callbackHash(plain)
      const fresh = await inbox.add({ hash, msg, plaintext: plain })
      // debug: a burst is thousands of these; the worker logs each batch it applies.
      log.debug(fresh ? 'wecom callback queued' : 'wecom callback repeated; already queued', {
        requestId: c.get('requestId'),
        id: hash.slice(0, 12),
        what: describeCallback(msg),
      })
      if (fresh) worker.wake()
      marks?.record('callback_accepted')
      return c.body(null, 200)
    })
}

type CryptoConfig = { callbackToken: string | undefined; callbackAesKey: string | undefined; corpId: string }

const cryptoSettings = (s: Pick<RuntimeSettings, 'get'>): CryptoConfig => ({ callbackToken: s.get('callbackToken'), callbackAesKey: s.get('callbackAesKey'), corpId: s.get('corpId') })

/** The crypto for the current (token, key, corpId), rebuilt only when one of them changes. */
function memoizedCrypto(log: CallbackRoutesNeeds['log']): (w: CryptoConfig) => CallbackCrypto | undefined {
  let last: { token: string; key: string; corpId: string; crypto: CallbackCrypto | undefined } | undefined
  return ({ callbackToken: token, callbackAesKey: key, corpId }) => {
    if (!token || !key || !corpId) return undefined
    if (last && last.token === token && last.key === key && last.corpId === corpId) return last.crypto
    let crypto: CallbackCrypto | undefined
    try {
      crypto = createCallbackCrypto({ token, encodingAesKey: key, receiveId: corpId })
    } catch {
      // Logged once per bad key, not once per request.
      log.error('the callback EncodingAESKey is not valid (43 letters and digits); callbacks are refused')
    }
    last = { token, key, corpId, crypto }
    return crypto
  }
}

const NOT_CONFIGURED: Rejection = { status: 503, reason: 'callbacks not configured (WECOM_CALLBACK_TOKEN, WECOM_CALLBACK_AES_KEY)' }
const BAD_SIGNATURE: Rejection = { status: 403, reason: 'bad signature', mark: 'signature' }

type SignedQuery = { signature: string; timestamp: string; nonce: string; echostr: string }

function signedQuery(c: Context<AppEnv>, withEcho: boolean): SignedQuery | Rejection {
  const signature = c.req.query('msg_signature') ?? ''
  const timestamp = c.req.query('timestamp') ?? ''
  const nonce = c.req.query('nonce') ?? ''
  // Query decoding turns a raw '+' into a space; base64 has no spaces, so put the '+' back.
  const echostr = (c.req.query('echostr') ?? '').replace(/ /g, '+')
  if (!/^[0-9a-fA-F]{40}$/.test(signature)) return { status: 400, reason: 'missing or malformed msg_signature' }
  if (!/^\d{1,12}$/.test(timestamp)) return { status: 400, reason: 'missing or malformed timestamp' }
  if (!nonce || nonce.length > 128) return { status: 400, reason: 'missing or malformed nonce' }
  if (withEcho && (!echostr || echostr.length > 4096)) return { status: 400, reason: 'missing or malformed echostr' }
  return { signature, timestamp, nonce, echostr }
}

function decrypt(crypto: CallbackCrypto, encrypt: string): string | Rejection {
  try {
    return crypto.decrypt(encrypt)
  } catch (e) {
    if (!(e instanceof CallbackCryptoError)) throw e
    // Signed by someone holding our token but sealed for another corp (or another key).
    if (e.code === 'receiveid_mismatch') return { status: 403, reason: 'receiveid does not match the corp', mark: 'receiveid' }
    return { status: 400, reason: `undecryptable (${e.code})`, mark: 'decrypt' }
  }
}

function xmlRejection(e: unknown, part: 'envelope' | 'message'): Rejection {
  if (!(e instanceof CallbackXmlError)) throw e
  const status = e.code === 'too_large' ? 413 : 400
  // A bad envelope is anyone's junk; a bad message decrypted fine, so it really came sealed for us.
  return { status, reason: `bad ${part} XML (${e.code})`, detail: { detail: e.message }, ...(part === 'message' ? { mark: 'xml' as const } : {}) }
}
