/**
 * `returnTo` is an app-relative path (`/todos?x=1`). Anything that could leave the origin —
 * absolute URLs, protocol-relative `//host`, backslash tricks, control characters — falls back
 * to `/`. The BFF prefixes PUBLIC_URL's path itself.
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback
  if (!value.startsWith('/')) return fallback
  if (value.startsWith('//') || value.startsWith('/\\')) return fallback
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback
  let url: URL
  try {
    url = new URL(value, 'http://x.invalid')
  } catch {
    return fallback
  }
  if (url.host !== 'x.invalid') return fallback
  // Never carry an OAuth code back into the app's URL.
  url.searchParams.delete('code')
  url.searchParams.delete('state')
  return url.pathname + url.search + url.hash
}
