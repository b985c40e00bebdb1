import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Config } from '../config'

export const SESSION_COOKIE = 'wp_sid'
/** Binds login `state`s to the browser that started the login. */
export const BROWSER_COOKIE = 'wp_browser'

function options(config: Config, maxAgeSec?: number) {
  return {
    path: config.basePath,
    httpOnly: true,
    secure: config.secureCookies,
    // Lax still sends the cookie on WeCom's top-level redirect back to /auth/callback.
    sameSite: 'Lax' as const,
    ...(maxAgeSec ? { maxAge: maxAgeSec } : {}),
  }
}

export function readCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name)
}

export function writeCookie(c: Context, config: Config, name: string, value: string, maxAgeSec?: number): void {
  setCookie(c, name, value, options(config, maxAgeSec))
}

export function clearCookie(c: Context, config: Config, name: string): void {
  deleteCookie(c, name, options(config))
}
