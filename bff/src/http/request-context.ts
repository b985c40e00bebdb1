import type { Context, MiddlewareHandler, Next } from 'hono'
import { routePath } from 'hono/route'
import type { AppEnv } from '../app-env'
import { randomHex } from '../auth/tokens'
import { currentRequest, runInRequest, type Logger } from '../log'
import type { Metrics } from '../metrics'

/** An incoming X-Request-Id (a proxy's, e.g. nginx `$request_id`) is kept only if it is this tame: it goes into every log line. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/
/** Load balancers ask every few seconds (at the root or under the prefix): their lines would drown the rest at `info`. */
const PROBE = /\/(healthz|readyz)$/
const MAX_LOGGED_PATH = 200

/**
 * Runs first for every request: picks the request id (a sane incoming one, else a new one) and
 * returns it in `X-Request-Id`; runs the request in its log context, so every line it causes
 * carries the id (and the userid once known); then writes one line for the request (method,
 * route pattern, path without its query, status, duration, userid) and counts it in the metrics.
 * The query is never logged: it carries OAuth codes and login states.
 */
export function requestContext(deps: { log: Logger; metrics: Metrics }): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    // The prefixed root app and the app inside it both use this: the outer one does the work.
    if (c.get('requestId')) return next()
    const incoming = c.req.header('x-request-id')
    const requestId = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : nextRequestId()
    c.set('requestId', requestId)
    // Set before the handler: it rides along on the handler's response (see app.ts).
    c.header('X-Request-Id', requestId)
    // One context for the whole request, its own line included (each run costs async hooks).
    return runInRequest({ requestId }, () => answer(c, next, deps))
  }
}

async function answer(c: Context<AppEnv>, next: Next, deps: { log: Logger; metrics: Metrics }): Promise<void> {
  const started = performance.now()
  let escaped = false
  try {
    await next()
  } catch (e) {
    // Hono answers handler errors through onError before this sees them; this is what got past it.
    escaped = true
    throw e
  } finally {
    const ms = performance.now() - started
    // The pattern of the route that answered, never the raw path: bounded label values.
    const route = routePath(c, c.req.routeIndex) || 'unmatched'
    const status = escaped ? 500 : c.res.status
    deps.metrics.httpRequest(c.req.method, route, status, ms / 1000)
    // Request lines are info (probes: debug); above that level, none is built.
    if (deps.log.level === 'debug' || deps.log.level === 'info') {
      const path = c.req.path.length > MAX_LOGGED_PATH ? `${c.req.path.slice(0, MAX_LOGGED_PATH)}…` : c.req.path
      const line = { method: c.req.method, route, path, status, ms: Math.round(ms * 10) / 10 }
      // Written in the request's context, so it carries the id and the userid.
      if (PROBE.test(c.req.path) && status < 400) deps.log.debug('request', line)
      else deps.log.info('request', line)
    }
  }
}

/** Records who the request is for, in its log lines from now on (a session, or a sign-in). */
export function setRequestUser(userid: string): void {
  const ctx = currentRequest()
  if (ctx) ctx.userid = userid
}

/** Unique per process and cheap: a random prefix and a counter. */
const requestIdPrefix = randomHex(4)
let requestCounter = 0
function nextRequestId(): string {
  requestCounter = (requestCounter + 1) % 0x7fffffff
  return `${requestIdPrefix}-${requestCounter.toString(36)}`
}
