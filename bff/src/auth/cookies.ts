import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Config } from '../config'

export const SESSION_COOKIE = 'wp_sid'
/** Binds login `state`s to the browser that started the login. */
export const BROWSER_COOKIE = 'wp_browser'
/** "Who this is was just confirmed": lets the entry gate serve the page a sign-in lands on. */
export const ENTRY_COOKIE = 'wp_entry'

/**
 * `crossSite`: a login inside a host app's iframe (EMBED_ORIGINS). Browsers send such a frame's
 * cookies only when SameSite=None, which they accept only with Secure (Chromium also on
 * http://localhost). Unsafe requests are then guarded by the same-origin check instead.
 */
function options(config: Config, maxAgeSec?: number, crossSite = false) {
  return {
    path: config.basePath,
    httpOnly: true,
    secure: crossSite || config.secureCookies,
    // Lax still sends the cookie on WeCom's top-level redirect back to /auth/callback.
    sameSite: crossSite ? ('None' as const) : ('Lax' as const),
    // A browser blocking third-party cookies (Chromium 156 does by default) still keeps a
    // Partitioned (CHIPS) one, keyed to the host page's site: the frame's session is its own.
    partitioned: crossSite,
    ...(maxAgeSec ? { maxAge: maxAgeSec } : {}),
  }
}

/** One cookie by name; cheaper than parsing them all on every request of a hot endpoint. */
export function readCookie(c: Context, name: string): string | undefined {
  const header = c.req.header('cookie')
  if (!header) return undefined
  const at = header.indexOf(`${name}=`)
  if (at < 0) return undefined
  // The first hit is inside another cookie's name (`xwp_sid=`): let the full parser decide.
  if (at > 0 && header[at - 1] !== ' ' && header[at - 1] !== ';') return getCookie(c, name)
  const start = at + name.length + 1
  const end = header.indexOf(';', start)
  const value = header.slice(start, end < 0 ? undefined : end).trim()
  return value || undefined
}

export function writeCookie(c: Context, config: Config, name: string, value: string, maxAgeSec?: number, crossSite = false): void {
  setCookie(c, name, value, options(config, maxAgeSec, crossSite))
}

export function clearCookie(c: Context, config: Config, name: string): void {
  deleteCookie(c, name, options(config))
  // Inside an iframe a browser ignores a Lax deletion; a None one reaches the framed cookie.
  if (config.embedOrigins.length) deleteCookie(c, name, options(config, undefined, true))
}
