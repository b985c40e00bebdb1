import { buildHomepageUrl, safeReturnTo } from '@portal/shared'
import type { Config } from '../config'

/** A page of this app through /auth/login, so a tap in WeCom signs in silently (as whoever tapped) and lands there. */
export function appDeepLink(config: Config, path: string): string {
  return buildHomepageUrl({ publicUrl: config.publicUrl, path })
}

/** Paths of this app that are not pages: wrapping them in OAuth would loop or land on JSON. */
const NOT_PAGES = /^\/(api|auth|wecom)(\/|$)/

/**
 * A link to a page of this app goes through WeCom OAuth (like the new-todo card), so a tap in
 * WeCom signs in silently and lands there; any other link is passed on as is.
 */
export function notificationLink(config: Config, url: string): string {
  const u = new URL(url)
  const app = new URL(`${config.publicUrl}/`)
  const inApp = u.origin === app.origin && (u.pathname === config.basePath.replace(/(.)\/$/, '$1') || u.pathname.startsWith(config.basePath))
  if (!inApp) return url
  const path = `/${u.pathname.slice(config.basePath.length)}${u.search}${u.hash}`
  if (NOT_PAGES.test(path)) return url
  return appDeepLink(config, safeReturnTo(path))
}
