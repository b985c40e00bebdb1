/**
 * A scanned code that is a link to a page of this app (same origin, under its base): the route
 * to open (`/contacts/members/lisi?x=1`). Anything else is only shown, never opened — a QR code
 * can point anywhere.
 */
export function appRouteOf(scanned: string, origin: string, base: string): string | undefined {
  let u: URL
  try {
    u = new URL(scanned.trim())
  } catch {
    return undefined
  }
  if (u.origin !== origin) return undefined
  const prefix = base.endsWith('/') ? base : `${base}/`
  if (u.pathname !== prefix.replace(/\/$/, '') && !u.pathname.startsWith(prefix)) return undefined
  return `/${u.pathname.slice(prefix.length)}${u.search}${u.hash}`
}
