import { z } from 'zod/mini'

/** WeCom refuses a message URL over 2048 bytes (40094). */
export const WEB_URL_MAX = 2048

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
/** What RFC 3986 never allows unencoded, and WHATWG URL parsing may leave as is, plus a stray `%`. */
const UNSAFE = /%(?![0-9A-Fa-f]{2})|[ "<>\\^`{|}]/g

export type WebUrlCheck = { ok: true; url: string } | { ok: false; problem: string }

/**
 * An http(s) URL as WeCom will take it in a message (message/send answers 45034 for one with a
 * space or `">`, https://developer.work.weixin.qq.com/document/path/90236): surrounding spaces
 * trimmed, parsed as a browser would, and every character RFC 3986 does not allow
 * percent-encoded (`a b` → `a%20b`, non-ASCII as UTF-8), which means the same to any server.
 * Refused: control characters (a tab or newline would be dropped silently, changing the URL),
 * other schemes, a user name or password (`https://oa.example.com@evil.example/`), and more than
 * 2048 characters once encoded.
 */
export function normalizeWebUrl(raw: string): WebUrlCheck {
  const s = raw.replace(/^ +| +$/g, '')
  if (CONTROL.test(s)) return { ok: false, problem: 'must not contain control characters (tab, newline…)' }
  let u: URL
  try {
    u = new URL(s)
  } catch {
    return { ok: false, problem: 'expected an http(s) URL' }
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return { ok: false, problem: 'expected an http(s) URL' }
  if (u.username || u.password) return { ok: false, problem: 'must not carry a user name or password' }
  const url = u.href.replace(UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
  if (url.length > WEB_URL_MAX) return { ok: false, problem: `at most ${WEB_URL_MAX} characters once encoded` }
  return { ok: true, url }
}

/** A link or notification URL: checked and normalized (normalizeWebUrl) as it arrives. */
export const webUrlSchema = z.pipe(
  z.string().check(z.maxLength(WEB_URL_MAX)).register(z.globalRegistry, {
    format: 'uri',
    description:
      'http(s) URL. Spaces, non-ASCII and characters such as `"<>{}|^` are percent-encoded on arrival (WeCom refuses them unencoded); control characters, a user name or password, and more than 2048 characters once encoded are refused.',
  }),
  z.transform((raw: string, ctx) => {
    const r = normalizeWebUrl(raw)
    if (r.ok) return r.url
    ctx.issues.push({ code: 'custom', message: r.problem, input: raw })
    return z.NEVER
  }),
)

/** The dates a todo may be due: from 1970 to 9999 (PostgreSQL and JavaScript both hold them exactly). */
const DUE_MIN = Date.UTC(1970, 0, 1)
const DUE_MAX = Date.UTC(10000, 0, 1) - 1

/** An ISO 8601 date-time with offset, from 1970 to 9999. */
export const dueAtSchema = z.iso.datetime({ offset: true }).register(z.globalRegistry, { description: 'ISO 8601 date-time with offset, from 1970 to 9999.' }).check(
  z.refine((s) => {
    const t = Date.parse(s)
    return t >= DUE_MIN && t <= DUE_MAX
  }, 'expected a date from 1970 to 9999'),
)
