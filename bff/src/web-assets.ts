import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import type { AppEnv } from './app-env'
import { entryGate } from './auth/entry-gate'
import type { Config } from './config'

/**
 * Serves the built H5: hashed assets with long caching, and index.html for every other GET so
 * that history-mode deep links work. The path prefix is injected at runtime, so one build serves
 * any PUBLIC_URL.
 */
export function webAssets(config: Config) {
  const app = new Hono<AppEnv>()
  const gate = entryGate(config)
  const indexFile = join(config.webDist, 'index.html')
  if (!existsSync(indexFile)) {
    return app.get('*', gate, (c) => c.text('The H5 is not built yet: run `pnpm build` (pnpm start does it for you).', 503))
  }
  const base = config.basePath
  const index = readFileSync(indexFile, 'utf8')
    .replaceAll('"/assets/', `"${base}assets/`)
    .replace('<head>', `<head><script>window.__PORTAL_BASE__=${JSON.stringify(base)}</script>`)
  const root = config.webDist
  return app
    .use(
      '/assets/*',
      serveStatic({
        root,
        // The build writes .br and .gz beside each script and style sheet (web/build/precompress.ts).
        precompressed: true,
        rewriteRequestPath: (p) => p.slice(p.indexOf('/assets/')),
        onFound: (_p, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
      }),
    )
    // A missing asset (an old build's chunk) is a 404, never the page: a script tag would get HTML.
    .get('/assets/*', (c) => c.text('Not found', 404))
    // Files at the root of the build (favicon…), but never index.html: that one is injected.
    .use('*', async (c, next) => {
      const file = c.req.path.slice(c.req.path.lastIndexOf('/') + 1)
      if (!/^[\w.-]+\.(ico|png|svg|webmanifest|txt)$/.test(file) || !existsSync(join(root, file))) return next()
      return serveStatic({ root, path: file, onFound: (_p, c) => c.header('Cache-Control', 'public, max-age=3600') })(c, next)
    })
    .get('*', gate, (c) => {
      c.header('Cache-Control', 'no-cache')
      return c.html(index)
    })
}
