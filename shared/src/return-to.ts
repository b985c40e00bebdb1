/** Only a path of this origin: not `//host`, `/\host`, or one with control characters or backslashes. */
function isLocalPath(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return s.startsWith('/') && !s.startsWith('//') && !/[\u0000-\u001f\u007f\\]/.test(s)
}

/**
 * `returnTo` is an app-relative path (`/todos?x=1`). Anything that could leave the origin —
 * absolute URLs, protocol-relative `//host`, backslash tricks, control characters — falls back
 * to `/`. The BFF prefixes PUBLIC_URL's path itself.
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048 || !isLocalPath(value)) return fallback
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
  const result = url.pathname + url.search + url.hash
  // Normalizing can make a safe-looking input unsafe (`/.//evil.example` → `//evil.example`),
  // so what is returned is checked, not only what came in.
  return isLocalPath(result) ? result : fallback
}
