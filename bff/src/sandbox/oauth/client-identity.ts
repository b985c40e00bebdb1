import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { findMember } from '../directory/org-index'
import { EXTERNAL_CHOICE, EXTERNAL_OPENID } from '../options'
import type { CodeIdentity, SandboxState } from '../state'

/**
 * Who is "signed in to the WeCom client". The app and the sandbox share localhost (cookies
 * ignore ports), so the cookie name carries the wwsandbox_ prefix to stay out of the app's way.
 */
export const USER_COOKIE = 'wwsandbox_user'

export function resolveChoice(s: SandboxState, choice: string | undefined): CodeIdentity | undefined {
  if (!choice) return undefined
  if (choice === EXTERNAL_CHOICE) return { kind: 'external', openid: EXTERNAL_OPENID }
  const member = findMember(s.directory, choice)
  return member ? { kind: 'member', userid: member.userid } : undefined
}

export function rememberedChoice(c: Context): string | undefined {
  return getCookie(c, USER_COOKIE) || undefined
}

export function rememberChoice(c: Context, choice: string): void {
  setCookie(c, USER_COOKIE, choice, { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 30 * 24 * 3600 })
}

export function forgetChoice(c: Context): void {
  deleteCookie(c, USER_COOKIE, { path: '/' })
}
