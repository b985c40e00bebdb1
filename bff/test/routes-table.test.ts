import { adminEndpoints, endpoints } from '@portal/shared'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { openPglite } from '../src/db/pglite'
import { createDeps } from '../src/deps'
import { createLogger } from '../src/log'

/**
 * Every route the app registers comes from the endpoint table (shared/src/endpoints.ts and
 * admin-endpoints.ts), and every entry of the table is registered with its method: a path
 * typed twice could drift apart, and the H5 and hosts call what the table says.
 */
const table = [...Object.values(endpoints), ...Object.values(adminEndpoints)]

/** Registered on purpose outside the table, each with why. */
const NOT_IN_TABLE: Record<string, string> = {
  // The table's /WW_verify_:code.txt is served by a wildcard (a regex param would slow every route: verify-files.ts).
  'GET /WW_verify_*': 'verifyFile (see SERVED_AS)',
  'GET /assets/*': 'static: the H5 build (a missing asset is a 404)',
  'GET /*': 'static: the H5 page',
  'ALL /api/*': 'the 404 for an unknown /api path, in the shared error shape',
}
const SERVED_AS: Record<string, string> = { 'GET /WW_verify_:code.txt': 'GET /WW_verify_*' }

const log = createLogger({ level: 'error', write: () => {} })
const cleanups: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function registeredRoutes(): Promise<Set<string>> {
  const loaded = loadConfig({}, '/nonexistent')
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
  const db = await openPglite()
  cleanups.push(() => db.close())
  const app = createApp(await createDeps(loaded.config, { db, log }))
  // Middleware (`use`) is registered as method ALL too; the only ALL route with a handler of its own is the /api 404.
  return new Set(app.routes.filter((r) => r.method !== 'ALL' || r.path === '/api/*').map((r) => `${r.method} ${r.path}`))
}

describe('routes and the endpoint table', () => {
  it('registers every table entry with its method, and nothing else but the listed exceptions', async () => {
    const routes = await registeredRoutes()
    const wanted = table.map((e) => `${e.method} ${e.path}`).map((k) => SERVED_AS[k] ?? k)
    expect(wanted.filter((k) => !routes.has(k))).toEqual([])
    expect([...routes].filter((k) => !wanted.includes(k) && !(k in NOT_IN_TABLE))).toEqual([])
    // The exceptions are real: each is still registered (the static ones only with a built H5).
    expect(Object.keys(NOT_IN_TABLE).filter((k) => !routes.has(k) && !NOT_IN_TABLE[k]!.startsWith('static'))).toEqual([])
  })
})
