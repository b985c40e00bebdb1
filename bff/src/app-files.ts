import { resolve } from 'node:path'

/** `pgliteThread`: the file PGlite's thread runs (db/pglite-client.ts), which Node loads itself. */
type Layout = { webDist: string; migrations: string; pgliteThread: string }

/**
 * Set to true by the build (bff/deploy/build.ts, esbuild `define`): the server then runs as
 * `<build>/server.js` with its files beside it. From source it is undefined.
 */
declare const PORTAL_BUILD: boolean | undefined

/** Where the build puts each file set, relative to the build folder (server.js). */
export const builtLayout: Layout = { webDist: 'web', migrations: 'migrations', pgliteThread: 'pglite-thread.mjs' }
/** Where they are in the repo, relative to bff/src. */
const sourceLayout: Layout = { webDist: '../../web/dist', migrations: 'db/migrations', pgliteThread: 'db/pglite-thread.mjs' }

/**
 * The files the server reads at run time, wherever it runs from: the repo (tsx, tests) or a
 * build folder (`node dist/server.js`). The one place that knows either layout.
 */
export const appFiles: Layout = resolveLayout(typeof PORTAL_BUILD !== 'undefined' && PORTAL_BUILD ? builtLayout : sourceLayout, import.meta.dirname)

function resolveLayout(layout: Layout, dir: string): Layout {
  return { webDist: resolve(dir, layout.webDist), migrations: resolve(dir, layout.migrations), pgliteThread: resolve(dir, layout.pgliteThread) }
}
