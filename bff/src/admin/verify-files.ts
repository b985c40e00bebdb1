import { verifyFileNamePattern } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import type { Config } from '../config'
import type { Db } from '../db'
import { verifyFileLookup } from './verify-file-store'

export interface VerifyFileNeeds {
  config: Config
  db: Db
  now: () => number
}

/**
 * GET /WW_verify_<16>.txt, public: WeCom's domain-ownership check fetches it from the domain
 * root (app.ts mounts this at the root too when PUBLIC_URL has a path prefix). Exact bytes,
 * text/plain; an unknown name is a plain 404, never the H5's index page.
 */
export function verifyFileServing(deps: VerifyFileNeeds) {
  const lookup = verifyFileLookup(deps)
  // A plain wildcard, not a regex param: one regex-param route makes Hono's SmartRouter pick its
  // TrieRouter instead of the RegExpRouter for the whole app, which cost /api/me 17% (measured).
  return new Hono<AppEnv>().get('/WW_verify_*', async (c) => {
    const at = c.req.path.lastIndexOf('/') + 1
    const file = c.req.path.slice(at)
    // The wildcard also matches deeper paths (/WW_verify_x/…): only the file right here counts.
    if (c.req.path.indexOf('/WW_verify_') !== at - 1 || !verifyFileNamePattern.test(file)) return c.text('Not Found', 404)
    const content = await lookup(file)
    if (content === undefined) return c.text('Not Found', 404)
    return c.body(content, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' })
  })
}
