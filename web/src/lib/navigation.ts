import { appUrl } from './app-base'

/** A full-page navigation: needed for BFF routes that answer with 302s (login, OAuth). */
export function navigateFull(path: string): void {
  window.location.assign(appUrl(path))
}

/** The BFF's login entry; it picks OAuth (inside WeCom) or the QR page (browser). */
export function authLoginPath(returnTo: string): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`
}
