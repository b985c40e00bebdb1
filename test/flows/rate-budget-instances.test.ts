import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '@portal/bff/app'
import { loadConfig } from '@portal/bff/config'
import { openDb, type Db } from '@portal/bff/db'
import { createDeps, type Deps } from '@portal/bff/deps'
import { createLogger } from '@portal/bff/log'
import { createSandbox, SANDBOX_DEFAULTS, type InboxMessage } from '@portal/bff/sandbox'
import { postgresTestDb, REQUIRE_ALL, TEST_DATABASE_URL } from '@portal/bff/testing/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// The limiter the directory sync uses (not a package export, so by path).
import { createApiLimiter } from '../../bff/src/rate/api-limiter'
import { createRateBudgets } from '../../bff/src/rate/budget'
import { listenLate } from '../support/listen'
import { syncOnce } from '../support/sync'

/*
 * Two app instances (each its own deps, database pool, outbox worker and HTTP server) on ONE
 * PostgreSQL database, in front of one sandbox reached over HTTP, on one hand-driven clock: the
 * sandbox's per-member and per-API counts are what WeCom would count for the whole app. PGlite
 * has one process by design, so this is PostgreSQL only.
 */

const T0 = Date.UTC(2026, 10, 2, 1, 0, 0)
const HOST_KEY = 'rate-flow-host-key-0123456789abcdef'
const SEND = '/cgi-bin/message/send'
const USER_GET = '/cgi-bin/user/get'

if (!TEST_DATABASE_URL && !REQUIRE_ALL) console.warn('\n  !!! SKIPPED: "two instances share one rate budget" — set TEST_DATABASE_URL to run it.\n')

interface Instance {
  deps: Deps
  url: string
  /** message/send and user/get calls this instance made, as the sandbox answered them. */
  calls: Map<string, number>
  errcodes: number[]
  close(): Promise<void>
}

describe.skipIf(!TEST_DATABASE_URL && !REQUIRE_ALL)('two instances share one rate budget [PostgreSQL]', () => {
  let now = T0
  const clock = () => now
  let dbA: Db
  let dbB: Db
  let a: Instance
  let b: Instance
  const sandbox = createSandbox({ trustedDomain: 'portal.example.com', now: clock })
  const servers: { close(): Promise<void> }[] = []

  async function instance(db: Db): Promise<Instance> {
    // Each instance reaches the sandbox through its own port, so we can tell whose calls they were.
    const [wecom, app] = await Promise.all([listenLate(), listenLate()])
    servers.push(wecom, app)
    const calls = new Map<string, number>()
    const errcodes: number[] = []
    wecom.setHandler(async (req, env) => {
      const path = new URL(req.url).pathname
      const res = await sandbox.app.fetch(req, env)
      const body = (await res.clone().json()) as { errcode?: number }
      if (body.errcode) errcodes.push(body.errcode)
      else calls.set(path, (calls.get(path) ?? 0) + 1)
      return res
    })
    const loaded = loadConfig(
      {
        PUBLIC_URL: app.url,
        WECOM_CORP_ID: SANDBOX_DEFAULTS.corpId,
        WECOM_AGENT_ID: SANDBOX_DEFAULTS.agentId,
        WECOM_SECRET: SANDBOX_DEFAULTS.secret,
        WECOM_API_BASE: wecom.url,
        WECOM_OAUTH_BASE: wecom.url,
        WECOM_LOGIN_BASE: wecom.url,
        SESSION_SECRET: 'rate-flow-session-secret-0123456789abcdef',
        HOST_API_KEYS: `oa:${HOST_KEY}`,
      },
      mkdtempSync(join(tmpdir(), 'rate-')),
    )
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
    const deps = await createDeps(loaded.config, { db, now: clock, log: createLogger({ level: 'warn', write: () => {} }) })
    app.setHandler(createApp(deps).fetch)
    return {
      deps,
      url: app.url,
      calls,
      errcodes,
      async close() {
        deps.settings.stop()
        deps.sync.stop()
        await Promise.allSettled([deps.callbacks.worker.stop(), deps.outbox.stop()])
      },
    }
  }

  /** Host notifications through instance `x`'s HTTP API, one request each (as the host sends them). */
  async function notify(x: Instance, userid: string, titles: string[]): Promise<void> {
    for (const title of titles) {
      const res = await fetch(`${x.url}/api/host/notifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${HOST_KEY}`, 'content-type': 'application/json', 'idempotency-key': title },
        body: JSON.stringify({ userids: [userid], title, description: '限频测试' }),
      })
      expect(res.status, await res.clone().text()).toBe(202)
    }
  }

  const titles = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`)
  const inbox = (userid: string) => (sandbox.state.messages.inbox.get(userid) ?? []) as InboxMessage[]
  const title = (m: InboxMessage) => (m.payload as { text?: { content: string } }).text?.content.split('\n')[0] ?? ''
  const pending = async (userid: string) =>
    (await dbA.query<{ next_attempt_at: Date }>("select next_attempt_at from outbox where userid = $1 and status = 'pending' order by id", [userid])).map((r) => r.next_attempt_at.getTime())

  beforeAll(async () => {
    if (!TEST_DATABASE_URL) throw new Error('REQUIRE_ALL_SUITES=1 but TEST_DATABASE_URL is not set: the two-instance rate suite cannot run')
    dbA = await postgresTestDb(TEST_DATABASE_URL)
    // The second instance's own pool on the same schema, as a second process would open it.
    const [{ schema }] = (await dbA.query<{ schema: string }>('select current_schema() as schema')) as [{ schema: string }]
    const sep = TEST_DATABASE_URL.includes('?') ? '&' : '?'
    dbB = await openDb({ url: `${TEST_DATABASE_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` })
    a = await instance(dbA)
    b = await instance(dbB)
    const stack = { deps: a.deps, config: a.deps.config } as Parameters<typeof syncOnce>[0]
    expect((await syncOnce(stack)).status).toBe('succeeded')
  })
  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()])
    await Promise.all(servers.map((s) => s.close()))
    await dbB?.close()
    await dbA?.close()
  })

  it('what one instance sent to a member, the other holds back: 45 messages, 30 in the first minute, none dropped or sent twice', async () => {
    await notify(a, 'lisi', titles('a', 20))
    await a.deps.outbox.drain()
    expect(a.calls.get(SEND)).toBe(20)

    // Instance B knows of A's 20 only through the database.
    await notify(b, 'lisi', titles('b', 25))
    await b.deps.outbox.drain()
    expect(b.calls.get(SEND)).toBe(10)
    // The other 15 wait for the window to let A's first messages go (2 s slot + 60 s + 6 s margin).
    expect(await pending('lisi')).toEqual(Array.from({ length: 15 }, () => T0 + 68_000))
    expect(inbox('lisi')).toHaveLength(30)

    // Before then, neither instance sends them.
    now = T0 + 67_000
    await Promise.all([a.deps.outbox.drain(), b.deps.outbox.drain()])
    expect(inbox('lisi')).toHaveLength(30)

    now = T0 + 68_000
    await Promise.all([a.deps.outbox.drain(), b.deps.outbox.drain()])
    expect(await pending('lisi')).toEqual([])
    const got = inbox('lisi')
    // WeCom (the sandbox) would have silently dropped anything past 30 in a minute: nothing was.
    expect(got.filter((m) => m.status === 'dropped')).toEqual([])
    expect(got.map(title).sort()).toEqual([...titles('a', 20), ...titles('b', 25)].sort())
    expect((a.calls.get(SEND) ?? 0) + (b.calls.get(SEND) ?? 0)).toBe(45)
  })

  it('both instances sending to one member at once deliver at most 30 a minute between them', async () => {
    now = T0 + 10 * 60_000
    await Promise.all([notify(a, 'zhangsan', titles('za', 22)), notify(b, 'zhangsan', titles('zb', 22))])
    await Promise.all([a.deps.outbox.drain(), b.deps.outbox.drain(), a.deps.outbox.drain(), b.deps.outbox.drain()])
    expect(inbox('zhangsan')).toHaveLength(30)
    expect(await pending('zhangsan')).toHaveLength(14)
    now += 68_000
    await Promise.all([a.deps.outbox.drain(), b.deps.outbox.drain()])
    const got = inbox('zhangsan')
    expect(got.filter((m) => m.status === 'dropped')).toEqual([])
    expect(got.map(title).sort()).toEqual([...titles('za', 22), ...titles('zb', 22)].sort())
  })

  it('the per-API limit counts both instances\' calls: 2 × 40 user/get against 30 a minute, and WeCom never answers 45009', async () => {
    now = T0 + 20 * 60_000
    // The sandbox enforces 30 a minute per API (WeCom: 10,000); the limiters keep to the same.
    const res = await fetch(`${a.deps.config.wecom.apiBase}/sandbox/admin/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ limits: { perMinutePerApi: 30 } }),
    })
    expect(res.status).toBe(200)
    const sleepUntil: number[] = []
    // Waiting for the window moves the shared clock on, as time would, but only once no other
    // lane's call is on its way: a jump of a minute while a request is in flight (a slow loopback
    // on a loaded machine) would land a call taken in one minute in the next, a delay no real call
    // has (the limiter allows for 1 s of it).
    let inFlight = 0
    const sleep = async (ms: number) => {
      await new Promise((r) => setImmediate(r))
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 1))
      sleepUntil.push(clock() + ms)
      now = Math.max(now, clock() + ms)
    }
    const limiter = (db: Db) => createApiLimiter({ budgets: createRateBudgets(db), now: clock, sleep, limits: { perMinute: 30, perHour: 100_000 } })
    const run = async (x: Instance, db: Db) => {
      const l = limiter(db)
      const before = x.calls.get(USER_GET) ?? 0
      for (let i = 0; i < 40; i++) {
        await l.take(USER_GET)
        inFlight++
        await x.deps.wecom.getUser('lisi').finally(() => inFlight--)
      }
      // A take made ahead of need lands before the test moves on.
      await l.settled()
      return (x.calls.get(USER_GET) ?? 0) - before
    }
    const start = now
    const [fromA, fromB] = await Promise.all([run(a, dbA), run(b, dbB)])
    expect(fromA + fromB).toBe(80)
    expect([...a.errcodes, ...b.errcodes]).toEqual([])
    // 80 calls at 30 a minute: the windows opened twice (each 2 s slot + 60 s + 2 s margin later).
    expect(now - start).toBeGreaterThanOrEqual(2 * 64_000)
    expect(sleepUntil.length).toBeGreaterThan(0)
  })
})
