/**
 * Appends `?k=v&…` the way WeCom does: to the path-and-query part, before any `#fragment`
 * (SPA hash routes keep working), with `&` when a query is already there. The existing part
 * is left byte-for-byte as the app sent it.
 */
export function appendParams(uri: string, params: readonly (readonly [string, string])[]): string {
  const hashAt = uri.indexOf('#')
  const base = hashAt === -1 ? uri : uri.slice(0, hashAt)
  const hash = hashAt === -1 ? '' : uri.slice(hashAt)
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&'
  return `${base}${sep}${query}${hash}`
}

/** Only absolute http(s) URLs may be redirect targets (no javascript:, no relative paths). */
export function isHttpUrl(value: string | undefined): value is string {
  if (!value) return false
  try {
    const u = new URL(value)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}
