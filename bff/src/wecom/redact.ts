import { createHash } from 'node:crypto'
import { inspect } from 'node:util'

const SECRET_PARAMS = ['access_token', 'corpsecret']
const MASK = '[redacted]'

/** A URL safe to log: secret query params masked, userinfo (proxy credentials) dropped. */
export function redactUrl(url: string | URL): string {
  let u: URL
  try {
    u = new URL(String(url))
  } catch {
    return String(url).replace(/((?:access_token|corpsecret)=)[^&#\s]*/gi, `$1${MASK}`)
  }
  u.username = ''
  u.password = ''
  for (const p of SECRET_PARAMS) if (u.searchParams.has(p)) u.searchParams.set(p, MASK)
  return u.toString()
}

/** Origin + path only: for error messages, which must not carry query values at all. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`
}

/** Replace every occurrence of the given secret values in free text (errmsg echoes, causes). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) {
    if (!s) continue
    // also the URL-encoded form, as it appears inside an echoed URL
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join(MASK)
  }
  return out
}

/**
 * The original error as the `cause` of ours, unless its text (message, stack, nested causes)
 * mentions a secret — e.g. a fetch wrapper that put the full URL in its message. Then a
 * scrubbed stand-in with the same name and code.
 */
export function safeCause(cause: unknown, secrets: readonly string[]): unknown {
  const text = typeof cause === 'string' ? cause : inspect(cause, { depth: 6 })
  const leaks = secrets.some((s) => s && (text.includes(s) || text.includes(encodeURIComponent(s))))
  if (!leaks) return cause
  if (!(cause instanceof Error)) return scrub(text, secrets)
  const copy = new Error(scrub(cause.message, secrets))
  copy.name = cause.name
  const code = (cause as { code?: unknown }).code
  if (code !== undefined) Object.assign(copy, { code })
  copy.stack = scrub(cause.stack ?? '', secrets)
  return copy
}

/** Short stable id of a secret for cache keys and logs; never the secret itself. */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12)
}
