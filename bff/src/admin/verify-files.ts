import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import type { Deps } from '../deps'
import { verifyFileLookup } from './verify-file-store'

/**
 * GET /WW_verify_<16>.txt, public: WeCom's domain-ownership check fetches it from the domain
 * root (app.ts mounts this at the root too when PUBLIC_URL has a path prefix). Exact bytes,
 * text/plain; an unknown name is a plain 404, never the H5's index page.
 */
export function verifyFileServing(deps: Pick<Deps, 'db' | 'config' | 'now'>) {
  const lookup = verifyFileLookup(deps)
  return new Hono<AppEnv>().get('/:file{WW_verify_[A-Za-z0-9]{16}\\.txt}', async (c) => {
    const content = await lookup(c.req.param('file'))
    if (content === undefined) return c.text('Not Found', 404)
    return c.body(content, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' })
  })
}
