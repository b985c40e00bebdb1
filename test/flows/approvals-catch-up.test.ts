import type { Db } from '@portal/bff/db'
import { postgresTestDb, TEST_DATABASE_URL, pgliteTestDb } from '@portal/bff/testing/db'
import { createApprovalSync, type ApprovalSync } from '@portal/bff/todos/approval-sync'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'
import { leave } from '../support/approvals'

/*
 * The scheduled approval catch-up at a large corp: one run at a time (in a process, and across
 * instances through its claim in the database), a bounded share of the open approvals re-read
 * per run, and a run that fails part-way going on from where it got to. Callbacks are off, so
 * the catch-up is all that reads approvals.
 */
const DETAIL = '/cgi-bin/oa/getapprovaldetail'
const LIST = '/cgi-bin/oa/getapprovalinfo'

const databases: [string, () => Promise<Db>][] = [['PGlite', pgliteTestDb]]
if (TEST_DATABASE_URL) databases.push(['PostgreSQL', () => postgresTestDb(TEST_DATABASE_URL!)])

describe.each(databases)('approval catch-up [%s]', (_name, freshDb) => {
  let stack: Stack
  let before: Record<string, number>
  /** Approvals still in progress in the sandbox: decided before each test, so that it lists only its own. */
  const inProgress = new Set<string>()

  const calls = async () => ((await sandboxAdmin(stack, 'GET', 'stats')) as { calls: Record<string, number> }).calls
  /** WeCom calls of `path` since the test began. */
  const callsOf = async (path: string) => ((await calls())[path] ?? 0) - (before[path] ?? 0)
  /** 李四 asks for leave; zhangsan decides. Not applied: nothing but a catch-up reads it. */
  const submit = async () => {
    const { sp_no } = (await sandboxAdmin(stack, 'POST', 'approvals', leave(['zhangsan']))) as { sp_no: string }
    inProgress.add(sp_no)
    return sp_no
  }
  const act = async (spNo: string, userid: string, action: string) => {
    await sandboxAdmin(stack, 'POST', `approvals/${spNo}/act`, { userid, action })
    inProgress.delete(spNo)
  }
  const statusOf = async (spNos: string[]) =>
    (await stack.deps.db.query<{ origin: string; status: string }>("select origin, status from todos where source = 'approval' and origin = any($1) order by origin", [spNos])).map((t) => t.status)
  /** Another instance's catch-up over the same database (its own process would hold its own run). */
  const otherInstance = (opts: { openPerRun?: number; now?: () => number } = {}): ApprovalSync => createApprovalSync({ ...stack.deps, ...opts })

  beforeAll(async () => {
    stack = await startStack({ db: await freshDb(), sandbox: { callback: undefined } })
    expect((await syncOnce(stack)).status).toBe('succeeded')
  })
  afterAll(() => stack?.close())
  beforeEach(async () => {
    await sandboxAdmin(stack, 'DELETE', 'faults')
    for (const spNo of [...inProgress]) await act(spNo, 'zhangsan', 'approve')
    // Every approval todo of earlier tests closed, so that each test sees only its own open ones.
    await stack.deps.db.query("update todos set status = 'cancelled' where source = 'approval' and status = 'pending'")
    await stack.deps.db.query("update approval_sync_state set open_cursor = '', lease_holder = null, lease_until = null")
    before = await calls()
  })

  it('a run that meets WeCom busy stops before saving its window; the next run lists it again and applies all of it', async () => {
    const spNos = [await submit(), await submit(), await submit()]
    await sandboxAdmin(stack, 'POST', 'faults', { path: DETAIL, errcode: -1, times: 1 })
    await expect(stack.deps.approvals.catchUp()).rejects.toMatchObject({ errcode: -1 })
    expect(await statusOf(spNos)).toEqual([])
    // The claim went with the failed run: the next one is not held off.
    expect(await stack.deps.approvals.catchUp()).toMatchObject({ listed: 3, failed: 0 })
    expect(await statusOf(spNos)).toEqual(['pending', 'pending', 'pending'])
  })

  it('an approval that cannot be read is logged and skipped; the rest are applied and the window is saved', async () => {
    const spNos = [await submit(), await submit()]
    await sandboxAdmin(stack, 'POST', 'faults', { path: DETAIL, errcode: 301055, errmsg: 'no permission to this approval', times: 1 })
    expect(await stack.deps.approvals.catchUp()).toMatchObject({ listed: 2, failed: 1 })
    expect((await statusOf(spNos)).length).toBe(1)
    expect(stack.logs.some((l) => l.includes('approval catch-up: could not apply an approval') && l.includes('301055'))).toBe(true)
    const [{ until }] = (await stack.deps.db.query<{ until: Date }>('select scanned_until as until from approval_sync_state')) as [{ until: Date }]
    expect(Date.now() - new Date(until).getTime()).toBeLessThan(60_000)
  })

  it('approvals decided before any run are listed out, not read one by one', async () => {
    const decided = [await submit(), await submit()]
    for (const spNo of decided) await act(spNo, 'zhangsan', 'approve')
    const open = await submit()
    expect(await stack.deps.approvals.catchUp()).toMatchObject({ listed: 1, open: 0 })
    expect(await callsOf(DETAIL)).toBe(1)
    expect(await statusOf([open, ...decided])).toEqual(['pending'])
  })

  it('two runs asked for at once in one process are one run', async () => {
    const spNos = [await submit(), await submit()]
    const [a, b] = await Promise.all([stack.deps.approvals.catchUp(), stack.deps.approvals.catchUp()])
    expect(a).toBe(b)
    expect(await callsOf(DETAIL)).toBe(2)
    expect(await callsOf(LIST)).toBe(1)
    expect(await statusOf(spNos)).toEqual(['pending', 'pending'])
  })

  it("another instance's run holds the claim: this one reads nothing from WeCom, and runs once that one has ended", async () => {
    const spNos = [await submit(), await submit()]
    await sandboxAdmin(stack, 'POST', 'faults', { path: DETAIL, latencyMs: 300 })
    const first = stack.deps.approvals.catchUp()
    const holder = async () => (await stack.deps.db.query<{ h: string | null }>('select lease_holder as h from approval_sync_state'))[0]?.h
    await expect.poll(holder, { interval: 10, timeout: 5_000 }).not.toBeNull()
    const other = otherInstance()
    expect(await other.catchUp()).toBe('busy')
    await first
    expect(await callsOf(LIST)).toBe(1)
    await sandboxAdmin(stack, 'DELETE', 'faults')
    expect(await other.catchUp()).toMatchObject({ listed: 2 })
    expect(await statusOf(spNos)).toEqual(['pending', 'pending'])
  })

  it('the claim of a run that died holds others off until its time has passed', async () => {
    await stack.deps.db.query("update approval_sync_state set lease_holder = 'crashed-instance', lease_until = now() + interval '2 minutes'")
    expect(await otherInstance().catchUp()).toBe('busy')
    expect(await callsOf(LIST)).toBe(0)
    // Two minutes on (the claim's time is the database's, whatever an instance's clock says).
    await stack.deps.db.query("update approval_sync_state set lease_until = now() - interval '1 second'")
    expect(await otherInstance().catchUp()).not.toBe('busy')
  })

  it('a run claims for two minutes on the database clock, and lets go when it ends', async () => {
    const leases: unknown[] = []
    const watching = { ...stack.deps.db, query: async (sql: string, p?: unknown[]) => (sql.includes('lease_until = now()') && leases.push(p), stack.deps.db.query(sql, p as never)) }
    const sync = createApprovalSync({ ...stack.deps, db: watching as typeof stack.deps.db })
    await sync.catchUp()
    expect(leases).toEqual([[expect.any(String), 120_000]])
    expect(await stack.deps.db.query('select lease_until from approval_sync_state')).toEqual([{ lease_until: null }])
  })

  it('open approvals are re-read a bounded number per run, in turn, until each has been looked at (a deletion sends no event)', async () => {
    const spNos = [await submit(), await submit(), await submit(), await submit(), await submit()]
    const sync = otherInstance({ openPerRun: 2 })
    await sync.catchUp()
    expect(await statusOf(spNos)).toEqual(Array(5).fill('pending'))
    for (const spNo of spNos) await act(spNo, 'lisi', 'delete')
    // A turn of 5 at 2 a run ends with a short run, then starts over: every one read within 3 runs.
    const counts: number[] = []
    for (let run = 0; run < 3; run++) {
      const atStart = await callsOf(DETAIL)
      expect(await sync.catchUp()).toMatchObject({ listed: 0 })
      counts.push((await callsOf(DETAIL)) - atStart)
    }
    expect(counts.every((n) => n <= 2)).toBe(true)
    expect(counts.reduce((a, b) => a + b)).toBe(5)
    expect(await statusOf(spNos)).toEqual(Array(5).fill('cancelled'))
    // The turn starts over: nothing open is left to read.
    expect(await sync.catchUp()).toMatchObject({ listed: 0, open: 0 })
  })
})
