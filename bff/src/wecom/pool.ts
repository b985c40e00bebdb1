import { Agent, ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici'

/**
 * WeCom calls in flight per origin at once. The rest wait in the pool for a keep-alive connection
 * instead of each opening its own: a burst of 1,000 sign-ins otherwise opens 1,000 connections
 * (and a listen queue to match) for calls that take milliseconds each.
 */
export const WECOM_CONNECTIONS = 32

// One pool per (proxy, timeout) for the whole process, so clients built per credentials (and
// per admin-console check) share connections instead of each opening their own.
const pools = new Map<string, Dispatcher>()

/**
 * `requestMs` bounds connecting, waiting for the response headers and each gap in the body. These
 * clocks start once the call has a connection, so time spent queued behind a busy pool is not
 * counted as WeCom being slow; the caller's overall deadline covers the queue.
 */
export function wecomDispatcher(proxyUrl: string | undefined, requestMs: number): Dispatcher {
  const key = `${proxyUrl ?? ''}\n${requestMs}`
  let pool = pools.get(key)
  if (!pool) {
    const opts = { connections: WECOM_CONNECTIONS, headersTimeout: requestMs, bodyTimeout: requestMs }
    pool = proxyUrl ? new ProxyAgent({ uri: proxyUrl, ...opts }) : new Agent({ ...opts, connect: { timeout: requestMs } })
    pools.set(key, pool)
  }
  return pool
}

/**
 * undici's own fetch: a dispatcher from the undici package is only guaranteed to fit the fetch
 * of the same undici version (Node's global fetch bundles its own copy).
 */
export const wecomFetch = undiciFetch as unknown as typeof fetch

/** undici's codes for its per-request timeouts (connect, headers, body gap). */
const REQUEST_TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** Whether a fetch error (or its causes) is one of the pool's request timeouts. */
export function isRequestTimeout(e: unknown): boolean {
  let cur: unknown = e
  for (let i = 0; i < 4 && cur instanceof Error; i++) {
    if (REQUEST_TIMEOUT_CODES.has((cur as { code?: unknown }).code as string)) return true
    cur = cur.cause
  }
  return false
}
