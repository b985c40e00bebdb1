import { createServer, connect, type Server, type Socket } from 'node:net'
import { apiErrorSchema } from '@portal/shared'
import pg from 'pg'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp, createStartingApp } from '../src/app'
import { loadConfig, type Config } from '../src/config'
import { migrate } from '../src/db/migrate'
import { openDbRetrying } from '../src/db/open-retrying'
import { openPglite } from '../src/db/pglite'
import { createDeps } from '../src/deps'
import { createLogger } from '../src/log'
import { SANDBOX_HOST_KEY } from '../src/config'
import { pgliteTestDb, postgresTestDb, REQUIRE_ALL, TEST_DATABASE_URL } from './helpers/test-db'

const log = createLogger({ level: 'error', write: () => {} })
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function config(env: Record<string, string> = {}): Config {
  const loaded = loadConfig(env, '/nonexistent')
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
  return loaded.config
}

async function unavailable(res: Response): Promise<string> {
  expect(res.status).toBe(503)
  const body = apiErrorSchema.parse(await res.json())
  expect(body.error.code).toBe('unavailable')
  return body.error.message
}

describe('/healthz and /readyz', () => {
  it('while starting: alive, not ready with the reason, and every other request 503 in the shared error shape', async () => {
    const app = createStartingApp(config({ PUBLIC_URL: 'http://localhost:3000/portal/' }), log, () => 'database not ready: connect ECONNREFUSED 127.0.0.1:5432')
    for (const path of ['/healthz', '/portal/healthz']) expect((await app.request(path)).status).toBe(200)
    for (const path of ['/readyz', '/portal/readyz']) expect(await unavailable(await app.request(path))).toBe('database not ready: connect ECONNREFUSED 127.0.0.1:5432')
    expect(await unavailable(await app.request('/portal/api/me'))).toBe('The server is starting: database not ready: connect ECONNREFUSED 127.0.0.1:5432.')
    expect(await unavailable(await app.request('/portal/'))).toMatch(/^The server is starting/)
  })

  it('not ready while the directory cannot be loaded, ready once it can; alive throughout', async () => {
    // A database the migrations have not reached: the read model has no tables to load from.
    const db = await openPglite()
    cleanups.push(() => db.close())
    const app = createApp(await createDeps(config(), { db, log }))
    expect((await app.request('/healthz')).status).toBe(200)
    expect(await unavailable(await app.request('/readyz'))).toMatch(/^directory not loaded: .*directory_state/)
    await migrate(db)
    const res = await app.request('/readyz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('stopping (SIGTERM): /readyz says so at once, whatever else holds, while /healthz and requests are still answered', async () => {
    const db = await pgliteTestDb()
    cleanups.push(() => db.close())
    const state: { stopping?: string } = {}
    const app = createApp(await createDeps(config(), { db, log }), { stopping: () => state.stopping })
    expect((await app.request('/readyz')).status).toBe(200)
    state.stopping = 'stopping: the server is shutting down'
    expect(await unavailable(await app.request('/readyz'))).toBe('stopping: the server is shutting down')
    expect((await app.request('/healthz')).status).toBe(200)
    expect((await app.request('/api/host/openapi.json')).status).toBe(200)
  })

  it('under a PUBLIC_URL path prefix, also at the root (probes need not know the prefix)', async () => {
    const db = await pgliteTestDb()
    cleanups.push(() => db.close())
    const app = createApp(await createDeps(config({ PUBLIC_URL: 'http://localhost:3000/portal/' }), { db, log }))
    for (const path of ['/healthz', '/readyz', '/portal/healthz', '/portal/readyz']) expect((await app.request(path)).status, path).toBe(200)
  })
})

if (!TEST_DATABASE_URL && !REQUIRE_ALL) console.warn('\n  !!! SKIPPED: "PostgreSQL going away" — set TEST_DATABASE_URL to run it.\n')

describe.skipIf(!TEST_DATABASE_URL && !REQUIRE_ALL)('PostgreSQL going away [PostgreSQL]', () => {
  const url = () => {
    if (!TEST_DATABASE_URL) throw new Error('REQUIRE_ALL_SUITES=1 but TEST_DATABASE_URL is not set: the PostgreSQL health suite cannot run')
    return new URL(TEST_DATABASE_URL)
  }

  it('readyz says the database is not reachable, no broken connection crashes the process, and it is ready again when the database returns', async () => {
    const proxy = await tcpProxy(url())
    cleanups.push(() => proxy.close())
    const lost: Error[] = []
    const db = await postgresTestDb(proxy.url(url()), { onConnectionError: (e) => lost.push(e) })
    // Dropping its schema needs the way to the database open again.
    cleanups.push(async () => {
      if (!proxy.up()) await proxy.restore()
      await db.close()
    })
    await db.query('create table kept (n int)')
    await db.query('insert into kept values (1)')
    const app = createApp(await createDeps(config(), { db, log }))
    expect((await app.request('/readyz')).status).toBe(200)
    // Several idle connections in the pool, each of which will break.
    await Promise.all([1, 2, 3].map(() => db.query('select pg_sleep(0.05)')))

    // The connection breaks in the middle of a transaction: that transaction fails, nothing else.
    const tx = db.transaction(async (t) => {
      await t.query('insert into kept values (2)')
      await proxy.cut()
      return t.query('select 1')
    })
    await expect(tx).rejects.toThrow()
    await vi.waitFor(() => expect(lost.length).toBeGreaterThanOrEqual(2))
    expect(await unavailable(await app.request('/readyz'))).toMatch(/^database not reachable: /)
    expect((await app.request('/healthz')).status).toBe(200)

    await proxy.restore()
    expect((await app.request('/readyz')).status).toBe(200)
    expect(await db.query('select n from kept order by n')).toEqual([{ n: 1 }])
  })

  it('a request that meets an unreachable database, or one that never answers, is 503 unavailable within the connect timeout', async () => {
    const proxy = await tcpProxy(url())
    cleanups.push(() => proxy.close())
    const db = await postgresTestDb(proxy.url(url()), { connectTimeoutMs: 1_000 })
    cleanups.push(async () => {
      if (!proxy.up()) await proxy.restore()
      await db.close()
    })
    const app = createApp(await createDeps(config(), { db, log }))
    const write = () =>
      app.request('/api/host/todos', {
        method: 'POST',
        headers: { authorization: `Bearer ${SANDBOX_HOST_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ externalId: 'dead-db', assignee: 'lisi', title: 't', link: 'https://oa.example.com/x' }),
      })
    // Refused: the pool's connections are gone and no new one can be made.
    await proxy.cut()
    expect(await unavailable(await write())).toBe('The database is not answering; try again shortly.')
    // Accepted but never answered (a dropped network, a hung server): the connect timeout ends the wait.
    await proxy.restore({ hang: true })
    const t0 = performance.now()
    expect(await unavailable(await write())).toBe('The database is not answering; try again shortly.')
    expect(performance.now() - t0).toBeLessThan(5_000)
    // And back: the same request is answered by the database again (400: the test db has no members).
    await proxy.cut()
    await proxy.restore()
    // (Retried: on a loaded machine a new connection may itself take longer than the timeout.)
    await vi.waitFor(async () => expect((await write()).status).toBe(400), { timeout: 15_000, interval: 100 })
  })

  it('the server start waits for a database that is not up yet, and opens it once it is', async () => {
    const proxy = await tcpProxy(url())
    cleanups.push(() => proxy.close())
    const schema = `t_${process.pid}_retry_${Math.random().toString(36).slice(2, 8)}`
    await adminQuery(`create schema ${schema}`)
    cleanups.push(() => adminQuery(`drop schema ${schema} cascade`))
    await proxy.cut()
    const failures: string[] = []
    const db = await openDbRetrying(
      { url: `${proxy.url(url())}?options=${encodeURIComponent(`-c search_path=${schema}`)}` },
      (e, { attempt, retryInMs }) => failures.push(`${attempt}: ${(e as Error).message} (${retryInMs} ms)`),
      // Instead of waiting: the database comes up after the second failure.
      async () => void (failures.length === 2 && (await proxy.restore())),
    )
    cleanups.push(() => db.close())
    expect(failures).toEqual([expect.stringMatching(/^1: .*ECONNREFUSED.* \(1000 ms\)$/), expect.stringMatching(/^2: .*ECONNREFUSED.* \(2000 ms\)$/)])
    expect(await db.query(`select count(*)::int as n from information_schema.tables where table_schema = '${schema}' and table_name = 'schema_migrations'`)).toEqual([{ n: 1 }])
  })

  async function adminQuery(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
})

/**
 * A TCP hop in front of PostgreSQL that the test can pull: `cut()` drops every connection and
 * refuses new ones, as a stopped or unreachable server would; `restore()` listens again.
 */
async function tcpProxy(target: URL) {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0
  let hang = false
  /** `hang`: accept connections and never answer on them. */
  const listen = (opts: { hang?: boolean } = {}) =>
    new Promise<void>((resolve, reject) => {
      hang = opts.hang ?? false
      const s = createServer((client) => {
        const upstream = hang ? undefined : connect(Number(target.port || 5432), target.hostname)
        for (const sock of upstream ? [client, upstream] : [client]) {
          sockets.add(sock)
          sock.on('close', () => sockets.delete(sock))
          sock.on('error', () => {})
        }
        if (upstream) client.pipe(upstream).pipe(client)
      })
      s.once('error', reject)
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port
        server = s
        resolve()
      })
    })
  const cut = async () => {
    const s = server
    server = undefined
    for (const sock of sockets) sock.destroy()
    if (s) await new Promise((r) => s.close(r))
  }
  await listen()
  return {
    up: () => server !== undefined,
    url: (u: URL) => `postgres://${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}127.0.0.1:${port}${u.pathname}`,
    cut,
    restore: listen,
    close: cut,
  }
}
