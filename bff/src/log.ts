/** JSON-lines logger. Secrets are scrubbed here, once, whatever a caller passes in. */
export interface Logger {
  debug(msg: string, data?: object): void
  info(msg: string, data?: object): void
  warn(msg: string, data?: object): void
  error(msg: string, data?: object): void
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const
type Level = keyof typeof LEVELS

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

export function createLogger(opts: { level?: Level; write?: (line: string) => void } = {}): Logger {
  const min = LEVELS[opts.level ?? 'info']
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'))
  const log = (level: Level) => (msg: string, data?: object) => {
    if (LEVELS[level] < min) return
    write(JSON.stringify({ t: new Date().toISOString(), level, msg: redact(msg), ...(data ? (redact(data) as object) : {}) }))
  }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}
