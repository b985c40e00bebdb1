import type { Context } from 'hono'
import type { AppEnv } from '../app-env'
import type { Config } from '../config'

export type HeaderRecord = Readonly<Record<string, string>>

/** What every response of the app carries besides its X-Request-Id; built once per config. */
const built = new WeakMap<object, HeaderRecord>()
export function securityHeaders(config: Pick<Config, 'embedOrigins'>): HeaderRecord {
  let h = built.get(config)
  if (!h) {
    h = Object.freeze({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      // Host apps in EMBED_ORIGINS may frame the H5 (`?embed=1`); nobody else may.
      'Content-Security-Policy': ["frame-ancestors 'self'", ...config.embedOrigins].join(' '),
    })
    built.set(config, h)
  }
  return h
}

/**
 * A 200 whose headers are one plain object: the security headers, the request id and the route's
 * own (`headers`, built once by the route with `securityHeaders` in it). @hono/node-server writes
 * such a response straight from that object; a response whose headers went through `c.header` or
 * a `Headers` object costs the web Headers machinery on every request (set, sort, iterate), which
 * the profile of the hot member endpoints showed.
 */
export function leanBody(c: Context<AppEnv>, body: string, headers: HeaderRecord): Response {
  const requestId = c.get('requestId')
  const res = new Response(body, { status: 200, headers: requestId ? { ...headers, 'X-Request-Id': requestId } : headers })
  // Marked on the context, not in a WeakSet: a weak table of short-lived keys made every scavenge dearer.
  c.set('completeResponse', res)
  return res
}

/**
 * Adds the request id and the security headers to the response the handler (or onError) gave,
 * unless it set one of them itself. Done after the handler on the response's own headers, which
 * @hono/node-server keeps in its light response; `c.header` after the fact would rebuild it as a
 * full web Response (a third of the throughput), so it is only the fallback for headers a
 * response holds immutable.
 */
export function completeHeaders(c: Context<AppEnv>, requestId: string, security: HeaderRecord): void {
  const res = c.res
  // Carries them already (see leanBody).
  if (c.get('completeResponse') === res) return
  try {
    const h = res.headers
    h.set('X-Request-Id', requestId)
    for (const k in security) if (!h.has(k)) h.set(k, security[k]!)
  } catch {
    c.header('X-Request-Id', requestId)
    for (const k in security) if (!c.res.headers.has(k)) c.header(k, security[k]!)
  }
}
