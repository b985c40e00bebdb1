import { randomInt } from 'node:crypto'
import type { Hono } from 'hono'
import { parseBody } from './body'
import { encryptMessage, newNonce, signMessage } from '../callbacks/crypto'
import { callbacksSettled, sendOnce, sendRaw } from '../callbacks/delivery'
import { envelope, verificationGet, withQuery, type SignedRequest } from '../callbacks/message'
import { rawCallbackSchema, verifyUrlSchema, type RawCallbackRequest } from '../callbacks/schemas'
import type { CallbackConfig } from '../options'
import type { SandboxState } from '../state'

const BASE = '/sandbox/admin/callbacks'
/** "Reply within 1 second" to the URL check (https://developer.work.weixin.qq.com/document/path/90930). */
const VERIFY_TIMEOUT_MS = 1000

/** Result of POST /sandbox/admin/callbacks/verify-url. */
export interface VerifyUrlResult {
  /** HTTP 200 and the body is exactly the decrypted echostr (no quotes, BOM or newline). */
  ok: boolean
  url: string
  httpStatus: number | null
  body: string | null
  expected: string
  error?: string
  durationMs: number
}

/** The delivery log, WeCom's URL check, and hand-made (possibly broken) requests for tests. */
export function registerAdminCallbacks(app: Hono, s: SandboxState): void {
  app.get(BASE, (c) => c.json({ errcode: 0, errmsg: 'ok', deliveries: s.callbacks.deliveries }))

  // Lets a test wait for background retries instead of sleeping.
  app.post(`${BASE}/settle`, async (c) => {
    await callbacksSettled(s.callbacks)
    return c.json({ errcode: 0, errmsg: 'ok', deliveries: s.callbacks.deliveries })
  })

  app.post(`${BASE}/verify-url`, async (c) => {
    const body = await parseBody(c, verifyUrlSchema)
    if (!body.ok) return body.res
    const cfg = configOf(s, body.value)
    if (!cfg) return c.json({ errcode: 40058, errmsg: 'no callback configured: set settings.callback or pass url, token and encodingAesKey' }, 400)
    // WeCom's echostr plaintext is a long random number.
    const expected = `${randomInt(1, 1e9)}${randomInt(0, 1e9)}`.padEnd(18, '0')
    const req = verificationGet(s, cfg, expected)
    const attempt = await sendOnce(s, req, 1, VERIFY_TIMEOUT_MS)
    const result: VerifyUrlResult = {
      ok: attempt.httpStatus === 200 && attempt.body === expected,
      url: req.url,
      httpStatus: attempt.httpStatus,
      body: attempt.body ?? null,
      expected,
      error: attempt.error,
      durationMs: attempt.durationMs,
    }
    return c.json({ errcode: 0, errmsg: 'ok', result })
  })

  app.post(`${BASE}/raw`, async (c) => {
    const body = await parseBody(c, rawCallbackSchema)
    if (!body.ok) return body.res
    const cfg = s.settings.callback
    if (!cfg) return c.json({ errcode: 40058, errmsg: 'no callback configured: set settings.callback first' }, 400)
    const delivery = await sendRaw(s, rawRequest(s, cfg, body.value), body.value.plaintext ?? '')
    return c.json({ errcode: 0, errmsg: 'ok', delivery })
  })
}

/** The saved config, with any fields the request gives swapped in. */
function configOf(s: SandboxState, override: Partial<CallbackConfig>): CallbackConfig | undefined {
  const url = override.url ?? s.settings.callback?.url
  const token = override.token ?? s.settings.callback?.token
  const encodingAesKey = override.encodingAesKey ?? s.settings.callback?.encodingAesKey
  return url && token && encodingAesKey ? { url, token, encodingAesKey } : undefined
}

/** Built exactly like a real one, then spoiled as the request says. */
function rawRequest(s: SandboxState, cfg: CallbackConfig, r: RawCallbackRequest): SignedRequest {
  const encrypted = r.encrypt ?? encryptMessage(cfg.encodingAesKey, r.plaintext ?? '', r.receiveId ?? s.corpId)
  const timestamp = r.timestamp ?? String(Math.floor(s.now() / 1000))
  const nonce = r.nonce ?? newNonce()
  const msg_signature = r.msg_signature ?? signMessage(cfg.token, timestamp, nonce, encrypted)
  const method = r.method ?? 'POST'
  const params: Record<string, string> = { msg_signature, timestamp, nonce, ...(method === 'GET' ? { echostr: encrypted } : {}), ...r.query }
  const url = withQuery(cfg.url, params)
  return method === 'GET' ? { method, url } : { method, url, body: r.body ?? envelope(s, encrypted) }
}
