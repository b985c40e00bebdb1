import { WeComError, WeComTransportError, type TransportFailure } from './errors'
import { isRequestTimeout } from './pool'
import { describeUrl, redactUrl, safeCause, scrub } from './redact'
import type { WeComCall, WeComLogger, WeComQuery } from './types'

/** What the client needs of an HTTP answer; a web `Response` is one. */
export interface WeComResponse {
  ok: boolean
  status: number
  statusText: string
  text(): Promise<string>
  body?: { cancel(): Promise<unknown> } | null
}

/** One HTTP exchange. `fetch` is one (tests and the CLI's in-process sandbox pass theirs). */
export type WeComFetch = (
  url: URL,
  init: { method: string; signal: AbortSignal; headers: Record<string, string>; body?: string; dispatcher?: unknown },
) => Promise<WeComResponse>

/** How to reach WeCom; one per client. */
export interface Transport {
  /** No trailing slash; may carry a path prefix (reverse proxy). */
  apiBase: string
  fetch: WeComFetch
  /** Connect, response headers, each gap in the body: enforced by the dispatcher once a call has a connection. */
  timeoutMs: number
  /** The whole call, time queued for a connection included. */
  overallTimeoutMs: number
  /** undici dispatcher (the bounded pool, or a ProxyAgent) passed to the transport with each call. */
  dispatcher?: unknown
  logger?: WeComLogger
  /** Sees every WeComError before it is thrown (the doctor's marks); never changes the outcome. */
  onError?: (e: WeComError) => void
  /** Hears every exchange's outcome and duration (metrics); never changes the outcome. */
  onCall?: (call: WeComCall) => void
}

export interface WeComRequest {
  method: 'GET' | 'POST'
  path: string
  query?: WeComQuery
  body?: unknown
  /** Values that must not survive into errors or logs (secret, token) even if echoed back. */
  secrets: readonly string[]
}

export type WeComJson = Record<string, unknown> & { errcode?: number; errmsg?: string }

/**
 * One HTTP exchange with WeCom, no retries: the parsed JSON when errcode is 0 (or absent),
 * WeComError for errcode ≠ 0, WeComTransportError for everything that is not a WeCom answer.
 */
export async function requestWeCom(t: Transport, req: WeComRequest): Promise<WeComJson> {
  if (!t.onCall) return exchange(t, req)
  const started = performance.now()
  const seen: Omit<WeComCall, 'seconds'> = { path: req.path, errcode: 0 }
  try {
    return await exchange(t, req)
  } catch (e) {
    if (e instanceof WeComError) seen.errcode = e.errcode
    else if (e instanceof WeComTransportError) seen.failure = e.failure
    else seen.failure = 'network'
    throw e
  } finally {
    try {
      t.onCall({ ...seen, seconds: (performance.now() - started) / 1000 })
    } catch {
      // An observer must not change what the caller gets.
    }
  }
}

/**
 * The overall deadline is a timer cleared once the exchange ends, not `AbortSignal.timeout`: undici
 * keeps a timeout signal alive until it fires, so every finished call would still build a
 * TimeoutError and dispatch an abort 30 s later (≈ 14 µs each; a 100k-member sync makes 5,000 calls).
 */
async function exchange(t: Transport, req: WeComRequest): Promise<WeComJson> {
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(new DOMException(`timed out after ${t.overallTimeoutMs} ms`, 'TimeoutError')), t.overallTimeoutMs)
  try {
    return await exchangeUntil(t, req, deadline.signal)
  } finally {
    clearTimeout(timer)
  }
}

async function exchangeUntil(t: Transport, req: WeComRequest, signal: AbortSignal): Promise<WeComJson> {
  const url = buildUrl(t.apiBase, req.path, req.query)
  const init: { method: string; signal: AbortSignal; headers: Record<string, string>; body?: string; dispatcher?: unknown } = { method: req.method, signal, headers: { accept: 'application/json' } }
  if (req.method === 'POST') {
    init.headers = { accept: 'application/json', 'content-type': 'application/json; charset=utf-8' }
    init.body = JSON.stringify(req.body ?? {})
  }
  if (t.dispatcher) init.dispatcher = t.dispatcher

  const fail = (failure: TransportFailure, what: string, status?: number, cause?: unknown): WeComTransportError => {
    t.logger?.warn('wecom request failed', { method: req.method, url: redactUrl(url), failure, status, detail: scrub(what, req.secrets) })
    return new WeComTransportError({
      path: req.path,
      failure,
      status,
      message: `WeCom ${req.method} ${describeUrl(url)}: ${scrub(what, req.secrets)}`,
      cause: cause === undefined ? undefined : safeCause(cause, req.secrets),
    })
  }
  const overall = () => signal.aborted && (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError'
  const timeout = (e: unknown, reading = ''): string | undefined =>
    overall() ? `timed out after ${t.overallTimeoutMs} ms overall${reading}` : isRequestTimeout(e) ? `timed out after ${t.timeoutMs} ms${reading}` : undefined

  let res: WeComResponse
  let text: string
  try {
    res = await t.fetch(url, init)
  } catch (e) {
    const timedOut = timeout(e)
    if (timedOut) throw fail('timeout', timedOut, undefined, e)
    throw fail('network', `network error (${errorDetail(e)})`, undefined, e)
  }
  if (!res.ok) {
    // Do not read or quote the body: proxies' error pages may echo the request URL.
    res.body?.cancel().catch(() => {})
    throw fail('http', `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, res.status)
  }
  try {
    text = await res.text()
  } catch (e) {
    const timedOut = timeout(e, ' reading the body')
    if (timedOut) throw fail('timeout', timedOut, res.status, e)
    throw fail('network', `body read failed (${errorDetail(e)})`, res.status, e)
  }

  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw fail('body', `response is not JSON (HTTP ${res.status}, ${text.length} bytes)`, res.status, e)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw fail('body', `response is not a JSON object (HTTP ${res.status})`, res.status)
  }
  const body = json as WeComJson
  const errcode = body.errcode === undefined ? 0 : Number(body.errcode)
  if (errcode !== 0) {
    const err = new WeComError({
      errcode: Number.isFinite(errcode) ? errcode : -1,
      errmsg: scrub(typeof body.errmsg === 'string' ? body.errmsg : '', req.secrets),
      path: req.path,
    })
    try {
      t.onError?.(err)
    } catch {
      // An observer must not turn a WeCom answer into something else.
    }
    throw err
  }
  return body
}

function buildUrl(apiBase: string, path: string, query: WeComQuery = {}): URL {
  if (!path.startsWith('/') || /[?#]/.test(path)) {
    throw new TypeError(`WeCom path must start with "/" and carry no query: ${path.split(/[?#]/)[0]}`)
  }
  const url = new URL(apiBase + path)
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v))
  return url
}

/** The most specific reason in a transport error chain ("fetch failed" → "connect ECONNREFUSED …"). */
function errorDetail(e: unknown): string {
  let cur: unknown = e
  let detail = 'unknown error'
  for (let i = 0; i < 4 && cur; i++) {
    if (cur instanceof Error) {
      detail = cur.message || cur.name
      cur = cur.cause
    } else {
      detail = String(cur)
      break
    }
  }
  return detail
}
