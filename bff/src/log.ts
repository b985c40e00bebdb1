import { AsyncLocalStorage } from 'node:async_hooks'

/** JSON-lines logger. Secrets are scrubbed here, once, whatever a caller passes in. */
export interface Logger {
  debug(msg: string, data?: object): void
  info(msg: string, data?: object): void
  warn(msg: string, data?: object): void
  error(msg: string, data?: object): void
  /** The least severe level written; changed at run time from the admin console. */
  readonly level: LogLevel
  setLevel(level: LogLevel): void
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const
export type LogLevel = keyof typeof LEVELS
export const isLogLevel = (v: string): v is LogLevel => Object.hasOwn(LEVELS, v)

/** What every line logged while serving one request carries (see http/request-context.ts). */
export interface RequestLogContext {
  requestId: string
  /** Set once the member is known (a session, or a sign-in). */
  userid?: string
}
const requestContext = new AsyncLocalStorage<RequestLogContext>()
/** Runs `fn` (and everything it starts) as part of one request: its lines carry the request id. */
export const runInRequest = <T>(ctx: RequestLogContext, fn: () => T): T => requestContext.run(ctx, fn)
export const currentRequest = (): RequestLogContext | undefined => requestContext.getStore()

const SECRET_KEYS = /^(secret|corpsecret|corp_secret|access_token|accesstoken|token|ticket|jsapi_ticket|password|cookie|authorization|session_secret|code|user_ticket|aeskey|encodingaeskey)$/i
const SECRET_IN_TEXT = /((?:access_token|corpsecret|ticket|code|user_ticket)=)[^&\s"']+/gi
/** `code` is also an error code (Node: ECONNREFUSED, ERR_…, UND_ERR_…; PostgreSQL: 57P01): that one an operator needs. */
const ERROR_CODE = /^(E[A-Z_]{2,20}|ERR_[A-Z0-9_]{2,60}|UND_ERR_[A-Z_]{2,40}|[0-9A-Z]{5})$/
const isSecret = (k: string, v: unknown) => SECRET_KEYS.test(k) && !(k === 'code' && typeof v === 'string' && ERROR_CODE.test(v))

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(SECRET_IN_TEXT, '$1[redacted]')
  if (value instanceof Error) return { name: value.name, message: redact(value.message), ...(redact({ ...value }, depth + 1) as object) }
  if (!value || typeof value !== 'object' || depth > 5) return value
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = isSecret(k, v) ? '[redacted]' : redact(v, depth + 1)
  return out
}

export function createLogger(opts: { level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  let level: LogLevel = opts.level ?? 'info'
  let min: number = LEVELS[level]
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'))
  const log = (at: LogLevel) => (msg: string, data?: object) => {
    if (LEVELS[at] < min) return
    const req = requestContext.getStore()
    const context = req ? { requestId: req.requestId, ...(req.userid ? { userid: req.userid } : {}) } : {}
    write(JSON.stringify({ t: new Date().toISOString(), level: at, msg: redact(msg), ...context, ...(data ? (redact(data) as object) : {}) }))
  }
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    get level() {
      return level
    },
    setLevel(next) {
      level = next
      min = LEVELS[next]
    },
  }
}
