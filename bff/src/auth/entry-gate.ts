import { isWeComClient, safeReturnTo } from '@portal/shared'
import type { Context, MiddlewareHandler } from 'hono'
import type { Config } from '../config'
import { appPath } from '../paths'
import { clearCookie, ENTRY_COOKIE, readCookie, writeCookie } from './cookies'

/** Long enough for a silent sign-in round trip, short enough that the next entry confirms again. */
const ENTRY_MARK_SEC = 60
/** Pages where sign-in ends (the problem page) or that never sign in inside WeCom (QR login). */
const UNGATED = /^\/(problem|login)\/?$/
/** Files a webview may request without Sec-Fetch-* headers; never pages. */
const FILE = /\.(js|css|map|json|ico|png|jpe?g|gif|svg|webp|woff2?|webmanifest|txt)$/i

/** Marks this browser as just confirmed: the next page load inside WeCom is served as it is. */
export function markEntry(c: Context, config: Config): void {
  writeCookie(c, config, ENTRY_COOKIE, '1', ENTRY_MARK_SEC)
}

/**
 * Every page load from the WeCom client first confirms who the person is, through /auth/login's
 * silent sign-in (bound to this browser): the desktop client keeps cookies across the people
 * and corps that use it, so an existing session proves nothing about who opened the app now.
 * The mark set here and at sign-in is spent by the load it lets through, so a failed sign-in
 * cannot loop and the next entry confirms again. Frames (`?embed=1`) sign in on their own.
 * https://developer.work.weixin.qq.com/document/path/91022 (the silent snsapi_base authorize)
 */
export function entryGate(config: Config): MiddlewareHandler {
  return async (c, next) => {
    if (!isWeComPageLoad(c, config)) return next()
    if (readCookie(c, ENTRY_COOKIE)) {
      clearCookie(c, config, ENTRY_COOKIE)
      return next()
    }
    markEntry(c, config)
    const url = new URL(c.req.url)
    const returnTo = safeReturnTo(appRelative(config, url.pathname) + url.search)
    c.header('Cache-Control', 'no-store')
    return c.redirect(appPath(config, `/auth/login?returnTo=${encodeURIComponent(returnTo)}`), 302)
  }
}

/** A top-level document load (not a frame, image or script) of one of the H5's pages, inside WeCom. */
function isWeComPageLoad(c: Context, config: Config): boolean {
  if (c.req.method !== 'GET' || !isWeComClient(c.req.header('user-agent'))) return false
  // Older webviews send no Sec-Fetch-Dest; fetch() from a page says `empty`, a frame `iframe`.
  const dest = c.req.header('sec-fetch-dest')
  if (dest && dest !== 'document') return false
  // Navigations always accept text/html; images and scripts do not name it.
  const accept = c.req.header('accept')
  if (accept && accept !== '*/*' && !accept.includes('text/html')) return false
  const path = appRelative(config, c.req.path)
  if (UNGATED.test(path) || FILE.test(path)) return false
  return c.req.query('embed') !== '1'
}

/** `/portal/todos` → `/todos`, `/portal` → `/` under PUBLIC_URL's prefix. */
function appRelative(config: Config, path: string): string {
  if (`${path}/` === config.basePath) return '/'
  return path.startsWith(config.basePath) ? `/${path.slice(config.basePath.length)}` : path
}
