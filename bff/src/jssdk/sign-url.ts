import { signableUrl } from '../wecom'

export interface SignUrlPolicy {
  /** PUBLIC_URL's origin. */
  publicOrigin: string
  /** PUBLIC_URL's path prefix with both slashes: `/` or `/portal/`. */
  basePath: string
  /** With TRUST_PROXY: the origin the proxy says this request came in on. */
  forwardedOrigin?: string
}

export type SignUrlCheck = { ok: true; url: string } | { ok: false; message: string; hint?: string }

/** Browsers' own limit is far higher, but no page of ours comes near it. */
const MAX_URL_LENGTH = 4096

/**
 * Which URL to sign for a `url` the H5 passed: the same string without its fragment, and only
 * when it is a page of this app — on PUBLIC_URL's origin (or the trusted proxy's, see
 * forwardedOrigin) and under its path prefix. The BFF must not sign arbitrary URLs with the
 * corp's tickets. The string is not normalised: WeCom hashes `location.href` exactly.
 */
export function checkSignUrl(raw: string | undefined, policy: SignUrlPolicy): SignUrlCheck {
  if (!raw) return { ok: false, message: 'The url parameter is required: the page URL to sign (location.href).' }
  if (raw.length > MAX_URL_LENGTH) return { ok: false, message: `url is longer than ${MAX_URL_LENGTH} characters.` }
  const url = signableUrl(raw)
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return { ok: false, message: 'url must be an absolute http(s) URL.' }
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, message: 'url must be an absolute http(s) URL.' }
  if (u.username || u.password) return { ok: false, message: 'url must not carry a user name or password.' }
  const origins = [policy.publicOrigin, ...(policy.forwardedOrigin && policy.forwardedOrigin !== policy.publicOrigin ? [policy.forwardedOrigin] : [])]
  const prefix = policy.basePath
  const underPrefix = u.pathname.startsWith(prefix) || u.pathname === prefix.replace(/\/$/, '')
  if (!origins.includes(u.origin) || !underPrefix) {
    return {
      ok: false,
      message: `Only pages of this app can be signed: url must start with ${origins.map((o) => o + prefix).join(' or ')}, got ${u.origin}${u.pathname}.`,
      hint: 'Open the app at PUBLIC_URL. Behind a reverse proxy that changes the scheme or host, set TRUST_PROXY=true and have the proxy set X-Forwarded-Proto and X-Forwarded-Host.',
    }
  }
  return { ok: true, url }
}
