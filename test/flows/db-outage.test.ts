import { openPostgres, type Db } from '@portal/bff/db'
import { REQUIRE_ALL } from '@portal/bff/testing/db'
import { SANDBOX_HOST_KEY } from '@portal/bff/config'
import { afterAll, describe, expect, it } from 'vitest'
import { startAppProcess, type AppProcess } from '../support/app-process'
import { createPgCluster, findPgBinaries, type PgCluster } from '../support/pg-cluster'

/*
 * PostgreSQL restarted under load: the real server process (sandbox mode) on a throwaway cluster
 * of this test's own, with host-API todo creates running throughout. While the database is
 * down every request that needs it is answered 503 `unavailable` with a reason, quickly; the
 * process lives on, reconnects by itself, loses no write it acknowledged, and its background
 * work (outbox, scheduled sync, callbacks) carries on without a restart.
 */

const binaries = findPgBinaries()
const missing = 'missing' in binaries ? binaries.missing : undefined
if (missing && !REQUIRE_ALL) console.warn(`\n  !!! SKIPPED: "database outage" — ${missing}.\n`)

type Failure = { status: number; code?: string; message?: string }

describe.skipIf(!!missing && !REQUIRE_ALL)('PostgreSQL restarted under load [own PostgreSQL cluster]', () => {
  let cluster: PgCluster | undefined
  let app: AppProcess | undefined
  let db: Db | undefined
  afterAll(async () => {
    await app?.stop()
    await db?.close().catch(() => {})
    await cluster?.destroy()
  })

  it('answers 503 while it is down, never hangs or crashes, reconnects, keeps every acknowledged write and resumes its background work', async () => {
    if (missing) throw new Error(`REQUIRE_ALL_SUITES=1 but the database outage suite cannot run: ${missing}`)
    cluster = await createPgCluster((binaries as { bin: string }).bin)
    // A corp big enough that a sync (every 3 s) is still reading when the database goes away.
    app = await startAppProcess({ DATABASE_URL: cluster.url, SYNC_CRON: '0/3 * * * * ?', SANDBOX_MEMBERS: '20000', LOG_LEVEL: 'warn' })
    const a = app
    db = await openPostgres(cluster.url)
    let q = db
    await waitFor('the first sync', async () => (await q.query("select 1 from sync_runs where status = 'succeeded'")).length > 0)
    const assignees = (await q.query<{ userid: string }>('select userid from members where disabled_at is null and status = 1 order by userid')).map((r) => r.userid)
    expect(assignees.length).toBeGreaterThan(100)

    // The load: todo creates from 4 clients, each remembering what it was told.
    const acked = new Set<string>()
    const failures: Failure[] = []
    const broken: string[] = []
    let slowestMs = 0
    let seq = 0
    let loading = true
    const client = async () => {
      while (loading) {
        const id = `outage-${seq++}`
        const started = Date.now()
        try {
          const res = await fetch(`${a.appUrl}/api/host/todos`, {
            method: 'POST',
            headers: { authorization: `Bearer ${SANDBOX_HOST_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ externalId: id, assignee: assignees[seq % assignees.length], title: `停机测试 ${id}`, link: `https://oa.example.com/${id}` }),
            // Far above the 5 s the app waits for a connection (a request may wait more than once
            // on a loaded machine): reaching this is a hang, and counts as broken.
            signal: AbortSignal.timeout(20_000),
          })
          const body = (await res.json()) as { error?: { code: string; message: string } }
          if (res.ok) acked.add(id)
          else failures.push({ status: res.status, code: body.error?.code, message: body.error?.message })
        } catch (e) {
          broken.push(`${id}: ${String(e)}`)
        }
        slowestMs = Math.max(slowestMs, Date.now() - started)
      }
    }
    const clients = Array.from({ length: 4 }, client)
    try {
      await waitFor('writes before the outage', async () => acked.size >= 20)

      let cut: number | undefined
      await waitFor('a sync running', async () => {
        cut = (await q.query<{ id: number }>("select id from sync_runs where status = 'running'"))[0]?.id
        return cut !== undefined
      })
      // This test's own connections are not under test: closed, and opened again after.
      await q.close()
      db = undefined
      await cluster.stop()
      const stoppedAt = new Date()
      const ackedBeforeRestart = acked.size
      await waitFor(() => `503s while the database is down (acked ${acked.size}, failures ${failures.length}, broken ${broken.length}: ${broken.slice(-3).join('; ')})`, async () => failures.length >= 10)
      const ready = await fetch(`${a.appUrl}/readyz`)
      expect(ready.status).toBe(503)
      expect(((await ready.json()) as { error: { message: string } }).error.message).toMatch(/^database not reachable: /)
      expect((await fetch(`${a.appUrl}/healthz`)).status).toBe(200)

      await cluster.start()
      const restartedAt = new Date()
      db = q = await openPostgres(cluster.url)
      await waitFor('writes after the restart', async () => acked.size >= ackedBeforeRestart + 20)
      expect((await fetch(`${a.appUrl}/readyz`)).status).toBe(200)
      loading = false
      await Promise.all(clients)

      // Never a hang, a reset or a 500: only 503 unavailable, with a reason a person can act on.
      expect(broken).toEqual([])
      expect(failures.length).toBeGreaterThan(0)
      for (const f of failures) expect(f).toMatchObject({ status: 503, code: 'unavailable' })
      expect(failures.every((f) => f.message && f.message.length > 10)).toBe(true)
      expect(await Promise.race([a.exited, Promise.resolve('running')])).toBe('running')

      // Everything acknowledged is there.
      const stored = await q.query<{ external_id: string }>('select external_id from todos where external_id = any($1)', [[...acked]])
      expect(stored.length).toBe(acked.size)

      // Background work resumed by itself: the outbox sends every card, a scheduled sync runs,
      // a WeCom callback is applied.
      await waitFor('the outbox sent everything', async () => (await q.query("select 1 from outbox where status = 'pending' limit 1")).length === 0)
      expect((await q.query<{ n: string }>("select count(*) as n from outbox where status = 'sent'"))[0]!.n).toBe(String(acked.size))
      await waitFor('a sync after the restart', async () => (await q.query("select 1 from sync_runs where status = 'succeeded' and started_at > $1", [restartedAt])).length > 0)
      const patched = await fetch(`${a.sandboxUrl}/sandbox/admin/org/users/lisi`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ position: '停机后的职位' }),
      })
      expect(patched.status).toBe(200)
      await waitFor('the callback applied', async () => (await q.query("select 1 from members where userid = 'lisi' and position = '停机后的职位'")).length > 0)
      console.info(`db-outage: ${acked.size} writes acknowledged, ${failures.length} answered 503 while down (slowest answer ${slowestMs} ms)`)
      // The sync the outage cut off is not left `running` for ever: the next run marks it failed.
      // (It may also have finished in the moment between being seen running and the stop.)
      const [run] = await q.query<{ status: string; finished_at: Date | null }>('select status, finished_at from sync_runs where id = $1', [cut])
      if (run?.status === 'succeeded' || run?.status === 'held') expect(run.finished_at!.getTime()).toBeLessThanOrEqual(stoppedAt.getTime())
      else expect(run?.status).toBe('failed')
    } catch (e) {
      // The server's own words are what explain a failure here (a crash, a stuck reconnect).
      console.error(`db-outage: the app's last output:\n${a.output().slice(-6_000)}`)
      throw e
    } finally {
      loading = false
      await Promise.all(clients)
    }
  }, 600_000)
})

/** `what` may be a function, to say what the test saw when it gives up. */
async function waitFor(what: string | (() => string), check: () => Promise<boolean>, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
