import { appUrl } from './app-base'
import { embedded } from './embed'

/** A full-page navigation: needed for BFF routes that answer with 302s (login, OAuth). */
export function navigateFull(path: string): void {
  window.location.assign(appUrl(path))
}

/**
 * The BFF's login entry; it picks OAuth (inside WeCom) or the QR page (browser). Inside a host's
 * iframe it says so (`embed=1`): the session cookie must then be `SameSite=None; Secure`.
 */
export function authLoginPath(returnTo: string, embed = embedded.value): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}${embed ? '&embed=1' : ''}`
}
