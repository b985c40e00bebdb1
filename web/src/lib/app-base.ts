/**
 * The path the app is served under. The BFF injects it at run time so one build works behind
 * any reverse-proxy prefix; everything that builds a URL goes through here.
 */
export function appBase(): string {
  const raw = typeof window === 'undefined' ? undefined : window.__PORTAL_BASE__
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//')) return '/'
  return raw.endsWith('/') ? raw : `${raw}/`
}

/** An app-relative path ("/api/me", "auth/login") under the base. */
export function appUrl(path: string): string {
  return appBase() + path.replace(/^\/+/, '')
}
