import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SANDBOX_HOST_KEY } from '@portal/bff/config'
import type { Db } from '@portal/bff/db'
import { createSandbox, SANDBOX_CALLBACK, SANDBOX_DEFAULTS, type SendRecord } from '@portal/bff/sandbox'
import { postgresTestDb, REQUIRE_ALL, TEST_DATABASE_URL } from '@portal/bff/testing/db'
import { afterEach, describe, expect, it } from 'vitest'
// The enqueue the app itself uses (not a package export, so by path).
import { enqueueNotification } from '../../bff/src/notify/enqueue'
import { LOCK_FILE } from '../../bff/src/db/data-dir-lock'
import { startAppProcess } from '../support/app-process'
import { listenLate } from '../support/listen'
import { requestInParts } from '../support/raw-http'

/*
 * SIGTERM while the server works, with real processes (bff/src/index.ts) on one PostgreSQL and a
 * sandbox in this process standing in for WeCom: a sync in the middle of its read, an outbox in
 * the middle of sending, a request still arriving. The process must exit 0 with nothing half
 * written, lost or sent twice, and a second instance must carry on at once.
 */

const HOST_KEY = 'graceful-stop-host-key-0123456789abcdef'
const STOP_BOUND_MS = 10_000

if (!TEST_DATABASE_URL && !REQUIRE_ALL) console.warn('\n  !!! SKIPPED: "graceful stop" — set TEST_DATABASE_URL to run it.\n')

describe.skipIf(!TEST_DATABASE_URL && !REQUIRE_ALL)('graceful stop (SIGTERM) of the server process [PostgreSQL]', () => {
  const cleanups: Array<() => Promise<unknown> | void> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })

  async function setUp(org?: { members: number; departments: number }) {
    if (!TEST_DATABASE_URL) throw new Error('REQUIRE_ALL_SUITES=1 but TEST_DATABASE_URL is not set: the graceful stop suite cannot run')
    const db = await postgresTestDb(TEST_DATABASE_URL)
    cleanups.push(() => db.close())
    const sb = await listenLate()
    cleanups.push(() => sb.close())
    const sandbox = createSandbox({ trustedDomain: 'localhost', ...(org ? { org } : {}) })
    const [{ schema }] = (await db.query<{ schema: string }>('select current_schema() as schema')) as [{ schema: string }]
    const sep = TEST_DATABASE_URL.includes('?') ? '&' : '?'
    const env = {
      WECOM_CORP_ID: SANDBOX_DEFAULTS.corpId,
      WECOM_AGENT_ID: SANDBOX_DEFAULTS.agentId,
      WECOM_SECRET: SANDBOX_DEFAULTS.secret,
      WECOM_API_BASE: sb.url,
      WECOM_OAUTH_BASE: sb.url,
      WECOM_LOGIN_BASE: sb.url,
      SESSION_SECRET: 'graceful-stop-session-secret-0123456789abcdef',
      HOST_API_KEYS: `stop-test:${HOST_KEY}`,
      DATABASE_URL: `${TEST_DATABASE_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      SHUTDOWN_TIMEOUT: `${STOP_BOUND_MS / 1000}s`,
      LOG_LEVEL: 'info',
    }
    const start = async (extra: Record<string, string> = {}) => {
      const app = await startAppProcess({ ...env, ...extra })
      cleanups.push(() => app.stop())
      return app
    }
    return { db, sb, sandbox, start }
  }

  it('a sync in the middle of its read stops without merging, the process exits 0 and another instance leads the next run at once', async () => {
    const { db, sb, sandbox, start } = await setUp({ members: 6000, departments: 300 })
    // After the first 80 departments (1,600 members: the staging table has rows), WeCom becomes
    // slow: each user/list waits until the gate opens (at most 8 s, under the client's timeout).
    const gate = createGate(8_000)
    cleanups.push(() => gate.open())
    let lists = 0
    sb.setHandler(async (req, env) => {
      if (new URL(req.url).pathname === '/cgi-bin/user/list' && ++lists > 80) await gate.wait()
      return sandbox.app.fetch(req, env)
    })

    // A's first sync starts with it (the store is empty).
    const a = await start()
    await waitFor('rows staged by the running sync', async () => (await count(db, 'directory_staging')) > 0)
    // B tries every second and is told `busy` while A leads.
    const b = await start({ SYNC_CRON: '0/1 * * * * ?' })
    const [running] = await db.query<{ id: number; status: string }>('select id, status from sync_runs order by id')
    expect(running).toMatchObject({ status: 'running' })
    expect(await count(db, 'members')).toBe(0)

    const stopAt = Date.now()
    a.kill('SIGTERM')
    gate.open()
    expect(await a.exited).toEqual({ code: 0, signal: null })
    expect(Date.now() - stopAt).toBeLessThan(STOP_BOUND_MS)
    expect(a.output()).toContain('sync stopped: the server is shutting down')

    const [stopped] = await db.query<{ status: string; errors: { message: string }[]; counts: { rowsWritten: number }; finished_at: Date }>(
      'select status, errors, counts, finished_at from sync_runs where id = $1',
      [running!.id],
    )
    expect(stopped).toMatchObject({ status: 'failed', counts: { rowsWritten: 0 } })
    expect(stopped!.errors[0]!.message).toMatch(/^stopped: the server is shutting down/)

    // B's next tick leads: no wait for a lock the stopped process might still hold.
    const next = await waitFor('a succeeded run on the other instance', async () => {
      const [r] = await db.query<{ started_at: Date; counts: { membersCreated: number } }>(
        "select started_at, counts from sync_runs where id > $1 and status = 'succeeded' order by id limit 1",
        [running!.id],
      )
      return r
    })
    expect(next.started_at.getTime() - stopped!.finished_at.getTime()).toBeLessThan(5_000)
    // Everything came from B's one merge: A's staged rows were never merged, nor left behind.
    const [members] = await db.query<{ n: string; merges: string }>('select count(*) as n, count(distinct created_at) as merges from members')
    expect(next.counts.membersCreated).toBeGreaterThan(5_000)
    expect(members).toEqual({ n: String(next.counts.membersCreated), merges: '1' })
    expect(await count(db, 'directory_staging')).toBe(0)

    b.kill('SIGTERM')
    expect(await b.exited).toEqual({ code: 0, signal: null })
  }, 600_000)

  it('an outbox in the middle of sending and a request still arriving: exit 0, nothing lost, nothing sent twice', async () => {
    const { db, sb, sandbox, start } = await setUp()
    const N = 200
    const STOP_AT = 60 // the message/send call during which SIGTERM arrives
    let sends = 0
    const onStopCall: { signal?: () => void } = {}
    let stopSent!: () => void
    const stopSentP = new Promise<void>((r) => (stopSent = r))
    sb.setHandler(async (req, env) => {
      if (new URL(req.url).pathname === '/cgi-bin/message/send' && ++sends === STOP_AT && onStopCall.signal) {
        onStopCall.signal()
        stopSent()
      }
      return sandbox.app.fetch(req, env)
    })
    // Slow sends: several are in flight when the signal comes.
    sandbox.state.faults.push({ id: 'latency', path: '/cgi-bin/message/send', latencyMs: 30, hits: 0 })

    const a = await start()
    // The app's 接收消息 URL is set in WeCom, as a todo card (a template_card with a button) needs.
    sandbox.state.settings.callback = { url: `${a.appUrl}/wecom/callback`, ...SANDBOX_CALLBACK }
    await waitFor('the first sync', async () => (await db.query("select 1 from sync_runs where status = 'succeeded'")).length > 0)
    // A request still arriving when the signal comes: its body is half sent.
    const body = JSON.stringify({ externalId: 'in-flight-1', assignee: 'lisi', title: '进行中的请求', link: 'https://oa.example.com/in-flight' })
    const head = `POST /api/host/todos HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${HOST_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`
    const inFlight = await requestInParts(a.appUrl, head + body.slice(0, 10))

    const members = sandbox.state.directory.org.members.filter((m) => m.status === 1).slice(0, 40).map((m) => m.userid)
    onStopCall.signal = () => a.kill('SIGTERM')
    await db.transaction(async (tx) => {
      for (let i = 0; i < N; i++) {
        const message = { msgtype: 'textcard' as const, textcard: { title: `待办：stop-${i}`, description: '请处理', url: `${a.appUrl}/todos/stop-${i}`, btntxt: '查看' } }
        await enqueueNotification(tx, { dedupeKey: `stop:${i}`, userid: members[i % members.length]!, message, now: new Date() })
      }
    })
    await stopSentP
    // No new connections, while the one in flight is still served.
    await waitFor('the port to refuse connections', () => fetch(`${a.appUrl}/healthz`).then(() => false, () => true))
    const answer = await inFlight.finish(body.slice(10))
    expect(answer.response?.status).toBe(201)
    expect(answer.response?.headers.connection).toBe('close')
    expect(answer.closedByServer).toBe(true)
    expect(await a.exited).toEqual({ code: 0, signal: null })
    expect(a.output()).toContain('"msg":"stopped"')

    const before = await statusCounts(db)
    expect(before.sent ?? 0).toBeGreaterThan(0)
    expect(before.pending ?? 0).toBeGreaterThan(0)
    // Sends that were in flight were recorded: every call WeCom answered has its row marked sent.
    const { sends: firstLife } = (await (await fetch(`${sb.url}/sandbox/admin/messages`)).json()) as { sends: SendRecord[] }
    expect(firstLife.length).toBe(before.sent)

    const b = await start()
    await waitFor('the outbox drained by the other instance', async () => !(await statusCounts(db)).pending)
    b.kill('SIGTERM')
    expect(await b.exited).toEqual({ code: 0, signal: null })

    // N queued plus the in-flight todo's card: each sent once, none sent again.
    expect(await statusCounts(db)).toEqual({ sent: N + 1 })
    const { sends: all } = (await (await fetch(`${sb.url}/sandbox/admin/messages`)).json()) as { sends: SendRecord[] }
    expect(all.filter((s) => s.duplicateOf)).toEqual([])
    expect(all.length).toBe(N + 1)
    const rows = await db.query<{ msgid: string }>('select msgid from outbox')
    expect(new Set(rows.map((r) => r.msgid)).size).toBe(N + 1)
    expect(await db.query("select 1 from todos where external_id = 'in-flight-1'")).toHaveLength(1)
  }, 600_000)
})

describe('graceful stop (SIGTERM) of the server process [PGlite]', () => {
  const cleanups: Array<() => Promise<unknown> | void> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })

  /** The server in sandbox mode on a data directory of its own, with lisi synced (a todo for her is accepted). */
  async function start(env: Record<string, string> = {}) {
    const dataDir = mkdtempSync(join(tmpdir(), 'graceful-stop-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const app = await startAppProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env })
    cleanups.push(() => app.stop())
    await waitFor('the first sync', async () => (await createTodo(app.appUrl, 'probe')).status === 201)
    return { app, lock: join(dataDir, LOCK_FILE) }
  }

  /** A todo create whose body is half sent: `finish()` sends the rest. */
  function halfSent(appUrl: string, externalId: string) {
    const body = JSON.stringify({ externalId, assignee: 'lisi', title: '进行中的请求', link: 'https://oa.example.com/in-flight' })
    const head = `POST /api/host/todos HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${SANDBOX_HOST_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`
    return requestInParts(appUrl, head + body.slice(0, 10)).then((r) => ({ finish: () => r.finish(body.slice(10)) }))
  }

  const refused = (appUrl: string) => fetch(`${appUrl}/healthz`).then(() => false, () => true)

  it('a request in flight is answered; the data directory is closed and unlocked; exit 0', async () => {
    const { app, lock } = await start()
    expect(existsSync(lock)).toBe(true)
    const inFlight = await halfSent(app.appUrl, 'in-flight-pglite')
    app.kill('SIGTERM')
    await waitFor('the port to refuse connections', () => refused(app.appUrl))
    const answer = await inFlight.finish()
    expect(answer.response?.status).toBe(201)
    expect(answer.response?.headers.connection).toBe('close')
    expect(await app.exited).toEqual({ code: 0, signal: null })
    expect(existsSync(lock)).toBe(false)
  }, 300_000)

  it('a request that outlasts SHUTDOWN_TIMEOUT is cut at the bound: exit 1, the data directory still closed and unlocked', async () => {
    const { app, lock } = await start({ SHUTDOWN_TIMEOUT: '2s' })
    const stalled = await halfSent(app.appUrl, 'stalled')
    const stopAt = Date.now()
    app.kill('SIGTERM')
    expect(await app.exited).toEqual({ code: 1, signal: null })
    const took = Date.now() - stopAt
    expect(took).toBeGreaterThanOrEqual(2_000)
    expect(took).toBeLessThan(8_000)
    expect(app.output()).toContain('stop timeout: closing the connections still open')
    expect(existsSync(lock)).toBe(false)
    // The cut request never got an answer; the connection was closed.
    const answer = await stalled.finish()
    expect(answer).toMatchObject({ response: undefined, closedByServer: true })
  }, 300_000)

  it('a second signal exits at once, without waiting for the bound', async () => {
    const { app } = await start({ SHUTDOWN_TIMEOUT: '120s' })
    const stalled = await halfSent(app.appUrl, 'stalled-twice')
    app.kill('SIGTERM')
    await waitFor('the port to refuse connections', () => refused(app.appUrl))
    const secondAt = Date.now()
    app.kill('SIGTERM')
    expect(await app.exited).toEqual({ code: 1, signal: null })
    expect(Date.now() - secondAt).toBeLessThan(5_000)
    expect(app.output()).toContain('second signal: exiting now')
    await stalled.finish()
  }, 300_000)
})

function createTodo(appUrl: string, externalId: string): Promise<Response> {
  return fetch(`${appUrl}/api/host/todos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SANDBOX_HOST_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ externalId, assignee: 'lisi', title: '探测', link: 'https://oa.example.com/probe' }),
  })
}

async function count(db: Db, table: string): Promise<number> {
  const [row] = await db.query<{ n: string }>(`select count(*) as n from ${table}`)
  return Number(row!.n)
}

async function statusCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: string }>('select status, count(*) as n from outbox group by status')
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
}

/** Polls `check` until it returns something truthy, for at most `ms`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Calls wait at the gate until it opens, each at most `maxMs`; open() lets every one go and clears their timers. */
function createGate(maxMs: number) {
  let isOpen = false
  const waiting = new Set<() => void>()
  return {
    wait: () =>
      isOpen
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const go = () => {
              clearTimeout(timer)
              waiting.delete(go)
              resolve()
            }
            const timer = setTimeout(go, maxMs)
            waiting.add(go)
          }),
    open() {
      isOpen = true
      for (const go of [...waiting]) go()
    },
  }
}
