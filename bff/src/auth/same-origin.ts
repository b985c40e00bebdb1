import type { Context } from 'hono'
import type { Config } from '../config'
import { ApiFailure } from '../errors'
import { forwardedOrigin } from '../jssdk/forwarded-origin'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * An embedded login's session cookie is SameSite=None, so the browser no longer keeps other
 * sites from sending it: unsafe requests to the member API must come from our own origin or an
 * EMBED_ORIGIN. Browsers send Origin (or at least Sec-Fetch-Site) with every cross-site unsafe
 * request, so one with neither is not a page's and passes (server clients, tests). /api/host/*
 * authenticates with Bearer keys, not cookies: nothing to forge there.
 */
export function crossSiteGuard(config: Config): (c: Context) => void {
  const prefix = config.basePath.replace(/\/$/, '')
  const api = `${prefix}/api/`
  const host = `${prefix}/api/host/`
  const allowed = new Set([new URL(config.publicUrl).origin, ...config.embedOrigins])
  return (c) => {
    if (SAFE_METHODS.has(c.req.method)) return
    const path = c.req.path
    if (!path.startsWith(api) || path.startsWith(host)) return
    const origin = c.req.header('origin')
    if (origin === undefined) {
      const site = c.req.header('sec-fetch-site')
      if (site === undefined || site === 'same-origin' || site === 'none') return
    } else if (allowed.has(origin) || origin === sameOrigin(c, config)) {
      return
    }
    throw new ApiFailure('forbidden', 'Cross-site request refused.', {
      hint: 'Only this app and the host apps in EMBED_ORIGINS may change things here.',
    })
  }
}

/**
 * The origin this request was addressed to (a dev proxy or another host name than PUBLIC_URL's):
 * a browser cannot forge Host, and TRUST_PROXY makes the proxy's X-Forwarded-* count instead.
 */
function sameOrigin(c: Context, config: Config): string | undefined {
  if (config.trustProxy) return forwardedOrigin((n) => c.req.header(n), c.req.url)
  try {
    return new URL(c.req.url).origin
  } catch {
    return undefined
  }
}
