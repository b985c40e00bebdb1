import { apiErrorSchema, httpStatusOf, type ApiError, type ErrorCode } from '@portal/shared'
import { Hono, type Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv } from './app-env'
import { adminRoutes, type AdminRoutesNeeds } from './admin/routes'
import { verifyFileServing, type VerifyFileNeeds } from './admin/verify-files'
import { meRoutes, type MeRoutesNeeds } from './auth/me-routes'
import { memberContactRoutes, type MemberContactRoutesNeeds } from './member-contact/routes'
import { callbackRoutes, type CallbackRoutesNeeds, type Callbacks } from './callbacks'
import { directoryRoutes, type DirectoryRoutesNeeds } from './directory/routes'
import { authRoutes, type AuthRoutesNeeds } from './auth/routes'
import type { Config } from './config'
import { DatabaseUnavailableError } from './db'
import { ApiFailure } from './errors'
import { healthRoutes, serverReadiness } from './health'
import { requestContext } from './http/request-context'
import { jssdkRoutes, type JssdkRoutesNeeds } from './jssdk/routes'
import type { Logger } from './log'
import type { Metrics } from './metrics'
import { crossSiteGuard } from './auth/same-origin'
import { hostRoutes, type HostRoutesNeeds } from './todos/host-routes'
import { todoMemberRoutes, type TodoMemberRoutesNeeds } from './todos/member-routes'
import { webAssets } from './web-assets'
import { WeComError, WeComTransportError } from './wecom'

/** What the whole app needs: every feature's routes' needs, plus the callback worker to wake. */
export type AppNeeds = AuthRoutesNeeds &
  MeRoutesNeeds &
  MemberContactRoutesNeeds &
  JssdkRoutesNeeds &
  DirectoryRoutesNeeds &
  CallbackRoutesNeeds &
  HostRoutesNeeds &
  TodoMemberRoutesNeeds &
  AdminRoutesNeeds &
  VerifyFileNeeds & { metrics: Metrics; callbacks: Pick<Callbacks, 'worker'> }

/**
 * Builds the whole BFF without opening a port; tests call `app.request`. `stopping`: why the
 * server is going away (SIGTERM), which /readyz answers before anything else.
 */
export function createApp(deps: AppNeeds, opts: { stopping?: () => string | undefined } = {}): Hono<AppEnv> {
  // Host apps in EMBED_ORIGINS may frame the H5 (`?embed=1`); nobody else may.
  const csp = ["frame-ancestors 'self'", ...deps.config.embedOrigins].join(' ')
  const refuseCrossSite = crossSiteGuard(deps.config)
  warnInsecureEmbedding(deps)
  const ready = serverReadiness(deps)
  const health = healthRoutes(async () => opts.stopping?.() ?? ready())
  // Request id, log context, the request's log line and its metrics.
  const context = requestContext(deps)
  const app = new Hono<AppEnv>()
    .use('*', context)
    .use('*', (c, next) => {
      // Headers set before the handler ride along on its response; setting them afterwards
      // would make @hono/node-server build a full web Response (a third of the throughput).
      c.header('X-Content-Type-Options', 'nosniff')
      c.header('Referrer-Policy', 'strict-origin-when-cross-origin')
      c.header('Content-Security-Policy', csp)
      refuseCrossSite(c)
      // A NUL decoded from the path or query would reach PostgreSQL, whose text cannot hold it.
      if (/%00/i.test(c.req.url)) throw new ApiFailure('bad_request', 'The URL holds a NUL character (%00).', { fields: { url: 'NUL character' } })
      // Not awaited: one promise less per request (each costs the request context's async hooks).
      return next()
    })
    .route('/', health)
    .route('/', authRoutes(deps))
    .route('/', meRoutes(deps))
    .route('/', memberContactRoutes(deps))
    .route('/', jssdkRoutes(deps))
    .route('/', directoryRoutes(deps))
    .route('/', callbackRoutes(deps, deps.callbacks.worker))
    .route('/', hostRoutes(deps))
    .route('/', todoMemberRoutes(deps))
    .route('/', adminRoutes(deps))
    .route('/', verifyFileServing(deps))
    .all('/api/*', () => {
      throw new ApiFailure('not_found', 'No such API endpoint.')
    })
    .route('/', webAssets(deps.config))
  app.onError((err, c) => toErrorResponse(err, c, deps))
  const prefix = deps.config.basePath.replace(/\/$/, '')
  if (!prefix) return app
  // WeCom fetches WW_verify_*.txt from the domain root, whatever prefix the app lives under;
  // health probes (load balancers, HEALTHCHECK) need not know the prefix either.
  const root = new Hono<AppEnv>().use('*', context).route(prefix, app).route('/', verifyFileServing(deps)).route('/', health)
  root.onError((err, c) => toErrorResponse(err, c, deps))
  return root
}

/**
 * What answers on the app port while the server starts (database connection, migrations):
 * alive on /healthz, not ready on /readyz, 503 `unavailable` for everything else.
 */
export function createStartingApp(config: Pick<Config, 'basePath'>, log: Logger, reason: () => string): Hono<AppEnv> {
  const app = new Hono<AppEnv>().route('/', healthRoutes(async () => reason())).all('*', () => {
    throw new ApiFailure('unavailable', `The server is starting: ${reason()}.`)
  })
  app.onError((err, c) => toErrorResponse(err, c, { log }))
  const prefix = config.basePath.replace(/\/$/, '')
  if (!prefix) return app
  const root = new Hono<AppEnv>().route(prefix, app).route('/', app)
  root.onError((err, c) => toErrorResponse(err, c, { log }))
  return root
}

/** Embedded logins need Secure cookies, which browsers keep on http only for localhost. */
function warnInsecureEmbedding({ config, log }: Pick<AppNeeds, 'config' | 'log'>): void {
  if (!config.embedOrigins.length) return
  const u = new URL(config.publicUrl)
  if (u.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return
  log.warn('EMBED_ORIGINS is set but PUBLIC_URL is http: browsers will drop the SameSite=None; Secure cookies of embedded sign-ins. Serve the app over https.', {
    publicUrl: config.publicUrl,
  })
}

function toErrorResponse(err: Error, c: Context<AppEnv>, deps: { log: Logger }): Response {
  const requestId = c.get('requestId')
  let body: ApiError['error']
  if (err instanceof ApiFailure) {
    body = { code: err.code, message: err.message, ...err.extra }
  } else if (err instanceof WeComError) {
    deps.log.warn('WeCom call failed', { requestId, errcode: err.errcode, errmsg: err.errmsg, path: err.path })
    body = { code: 'wecom_error', message: `WeCom error ${err.errcode}`, errcode: err.errcode, ...(err.hint ? { hint: err.hint } : {}) }
  } else if (err instanceof WeComTransportError) {
    deps.log.warn('WeCom unreachable', { requestId, path: err.path, status: err.status, err: err.message })
    body = { code: 'wecom_error', message: 'WeCom could not be reached.', hint: 'Check the server\'s outbound network, WECOM_API_BASE and HTTPS_PROXY.' }
  } else if (err instanceof DatabaseUnavailableError) {
    deps.log.warn('database unavailable', { requestId, path: c.req.path, err: err.message })
    body = { code: 'unavailable', message: 'The database is not answering; try again shortly.', hint: 'Check that PostgreSQL (DATABASE_URL) is up and reachable, and /readyz.' }
  } else if (err instanceof HTTPException && err.status < 500) {
    body = { code: codeForStatus(err.status), message: err.message || 'Bad request' }
  } else {
    deps.log.error('unhandled error', { requestId, path: c.req.path, err })
    body = { code: 'internal', message: 'Something went wrong on our side.' }
  }
  const payload = apiErrorSchema.parse({ error: { ...body, requestId } })
  return c.json(payload, httpStatusOf[payload.error.code] as ContentfulStatusCode)
}

function codeForStatus(status: number): ErrorCode {
  return status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : status === 429 ? 'rate_limited' : 'bad_request'
}
