import { SYNC_LOCK } from '@portal/bff/directory/leader-lock'
import { createSyncEngine } from '@portal/bff/directory/sync-engine'
import { getRun } from '@portal/bff/directory/sync-runs'
import type { Db } from '@portal/bff/db'
import { postgresTestDb, TEST_DATABASE_URL, pgliteTestDb } from '@portal/bff/testing/db'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { memberRow, sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

// The sync stages new and changed members in directory_staging while WeCom is read and merges
// them only after the whole read succeeded: these are the ways that could go wrong.
const databases: [string, () => Promise<Db>][] = [['PGlite', pgliteTestDb]]
if (TEST_DATABASE_URL) databases.push(['PostgreSQL', () => postgresTestDb(TEST_DATABASE_URL!)])

const count = async (s: Stack, sql: string, params: unknown[] = []) => Number(((await s.deps.db.query<{ n: string }>(sql, params))[0] as { n: string }).n)
const staged = (s: Stack) => count(s, 'select count(*) as n from directory_staging')
const version = (s: Stack) => count(s, 'select version as n from directory_state')
const NO_PRIVILEGE = { path: '/cgi-bin/user/list', errcode: 60011, errmsg: 'no privilege to access/modify contact/party/agent' }

/** A sync engine on the stack, instant backoff, staging a few members per write. */
const engineFor = (s: Stack) =>
  createSyncEngine({ ...s.deps, maxDisableShare: s.config.sync.maxDisableShare, stageBatch: 5, retry: { attempts: 4, baseMs: 1, maxMs: 2, limitWaitMs: 1, sleep: async () => {} } })

describe.each(databases)('directory sync staging [%s]', (_name, openDb) => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack({ db: await openDb(), sandbox: { callback: undefined } })
  })
  afterAll(() => stack.close())
  beforeEach(async () => {
    await sandboxAdmin(stack, 'DELETE', 'faults')
  })

  it('a read that fails after pages were staged writes nothing and leaves no staged rows', async () => {
    // The first 12 pages answer (slowly), every later one fails: the run fails with pages staged.
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/user/list', latencyMs: 40, times: 12 })
    await sandboxAdmin(stack, 'POST', 'faults', NO_PRIVILEGE)
    let armed: Promise<number> | undefined
    const run = await syncOnce(stack, 'full', {
      stageBatch: 5,
      onProgress: (p) => void (p.phase === 'reading' && p.done === 8 && (armed ??= staged(stack))),
    })
    // Rows were staged mid-read.
    expect(await armed).toBeGreaterThan(0)
    expect(run.status).toBe('failed')
    expect(run.errors[0]).toMatchObject({ errcode: 60011 })
    expect(await staged(stack)).toBe(0)
    expect(await count(stack, 'select count(*) as n from members')).toBe(0)
    expect(await count(stack, 'select count(*) as n from member_departments')).toBe(0)
    expect(await version(stack)).toBe(0)
  })

  it('a stop mid-read (the server shutting down) ends the run before the read is over: failed as stopped, nothing merged or left staged', async () => {
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/user/list', latencyMs: 40 })
    const stop = new AbortController()
    let armed: Promise<number> | undefined
    const run = await syncOnce(stack, 'full', {
      stageBatch: 5,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.phase !== 'reading' || p.done !== 8 || armed) return
        armed = staged(stack)
        stop.abort()
      },
    })
    expect(await armed).toBeGreaterThan(0)
    expect(run.status).toBe('failed')
    expect(run.errors[0]!.message).toMatch(/^stopped: the server is shutting down; nothing was written/)
    expect(run.progress.done).toBeLessThan(run.progress.total)
    expect(await staged(stack)).toBe(0)
    expect(await count(stack, 'select count(*) as n from members')).toBe(0)
    expect(await version(stack)).toBe(0)
  })

  it('the database failing while WeCom is still being read fails the run, and leaves no rejection unhandled (that ends the server)', async () => {
    // The stored state is loaded while the first pages come in; here its query fails before any
    // page arrives, as when PostgreSQL goes away mid-read.
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/user/list', latencyMs: 200 })
    const real = stack.deps.db
    const db: Db = Object.create(real, {
      query: { value: (sql: string, params?: unknown[]) => (sql.includes('string_agg') ? Promise.reject(new Error('connection lost')) : real.query(sql, params)) },
    })
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => void unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      const r = await createSyncEngine({ ...stack.deps, db, maxDisableShare: stack.config.sync.maxDisableShare, retry: { attempts: 1, baseMs: 1, maxMs: 2, limitWaitMs: 1, sleep: async () => {} } }).run({ kind: 'full', trigger: 'manual' })
      if (r === 'busy') throw new Error('sync busy')
      expect(r.status).toBe('failed')
      expect((await getRun(real, r.runId))!.errors[0]!.message).toMatch(/connection lost/)
      await new Promise((r) => setTimeout(r, 50))
      expect(unhandled).toEqual([])
      expect(await staged(stack)).toBe(0)
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('rows staged by a run that died are never merged by the next one', async () => {
    // A crashed process leaves its staged rows; the worst case carries the id the next run gets.
    const [{ next }] = (await stack.deps.db.query<{ next: number }>('select coalesce(max(id), 0) + 1 as next from sync_runs')) as [{ next: number }]
    for (const runId of [next - 1, next]) {
      await stack.deps.db.query(
        `insert into directory_staging (run_id, userid, name, position, department_ids, department_orders, department_leads, status, direct_leaders, name_pinyin, name_initials, sync_hash)
         values ($1, $2, '幽灵', '', '{1}', '{0}', '{f}', 1, '{}', 'youling', 'yl', 'x')`,
        [runId, `ghost${runId}`],
      )
    }
    const run = await syncOnce(stack, 'full', { stageBatch: 5 })
    expect(run.id).toBe(next)
    expect(run.status).toBe('succeeded')
    expect(run.counts.membersCreated).toBe(run.counts.membersSeen)
    expect(await count(stack, "select count(*) as n from members where userid like 'ghost%'")).toBe(0)
    expect(await count(stack, 'select count(*) as n from members')).toBe(run.counts.membersSeen)
    expect(await staged(stack)).toBe(0)
  })

  it('a held run writes none of its changes, keeps nothing staged, and its confirmation writes them all', async () => {
    // 张三 changes title, and the range narrows to his department: held, and the title waits too.
    await sandboxAdmin(stack, 'PATCH', 'org/users/zhangsan', { position: '首席技术官' })
    await sandboxAdmin(stack, 'POST', 'settings', { visibleRange: { departments: [2], users: [] } })
    try {
      const before = await version(stack)
      const held = await syncOnce(stack, 'full', { stageBatch: 5 })
      expect(held.status).toBe('held')
      expect(await staged(stack)).toBe(0)
      expect((await memberRow(stack, 'zhangsan'))!.position).toBe('技术总监')
      expect(await count(stack, 'select count(*) as n from members where disabled_at is not null')).toBe(0)
      expect(await version(stack)).toBe(before)
      const confirmed = await syncOnce(stack, 'full', { stageBatch: 5, allowDisableUpTo: held.hold!.wouldDisable })
      expect(confirmed.status).toBe('succeeded')
      // The number shown is the number disabled: not-activated and WeCom-disabled people included.
      expect(confirmed.counts.membersDisabled).toBe(held.hold!.wouldDisable)
      expect(await count(stack, 'select count(*) as n from members where disabled_at is not null')).toBe(held.hold!.wouldDisable)
      expect((await memberRow(stack, 'zhangsan'))!.position).toBe('首席技术官')
      expect(await staged(stack)).toBe(0)
    } finally {
      await sandboxAdmin(stack, 'POST', 'settings', { visibleRange: { departments: [1], users: [] } })
      await sandboxAdmin(stack, 'PATCH', 'org/users/zhangsan', { position: '技术总监' })
    }
    const back = await syncOnce(stack)
    expect(back.status).toBe('succeeded')
    expect(await count(stack, 'select count(*) as n from members where disabled_at is not null')).toBe(0)
  })

  it('two runs at once: the second is busy and touches nothing the first has staged', async () => {
    await sandboxAdmin(stack, 'PATCH', 'org/users/lisi', { position: '高级前端工程师' })
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/user/list', latencyMs: 30 })
    try {
      let second: Promise<unknown> | undefined
      const first = engineFor(stack).run({
        kind: 'force',
        trigger: 'manual',
        // Mid-read, with rows staged: another run is asked for.
        onProgress: (p) => void (p.phase === 'reading' && p.done === 12 && (second ??= engineFor(stack).run({ kind: 'full', trigger: 'manual' }))),
      })
      const r = await first
      expect(await second).toBe('busy')
      if (r === 'busy') throw new Error('first run busy')
      const run = (await getRun(stack.deps.db, r.runId))!
      expect(run.status).toBe('succeeded')
      expect(run.counts.membersUpdated).toBe(run.counts.membersSeen)
      expect((await memberRow(stack, 'lisi'))!.position).toBe('高级前端工程师')
      expect(await staged(stack)).toBe(0)
    } finally {
      await sandboxAdmin(stack, 'PATCH', 'org/users/lisi', { position: '前端工程师' })
    }
  })

  it('every field a member is staged with arrives in members and member_departments as WeCom gave it', async () => {
    // Text that array literals and the staging insert's casts must carry through untouched.
    await sandboxAdmin(stack, 'POST', 'org/users', {
      userid: 'quoted.one',
      name: '引号"人',
      department: [2, 3],
      main_department: 3,
      order: [7, 4294967295],
      is_leader_in_dept: [1, 0],
      position: '主管 {A,B} \\ "C"',
      direct_leader: ['zhangsan', 'lisi'],
      alias: 'NULL',
      telephone: '010-1234,5',
      sensitive: { mobile: '13800000000', email: 'q"o@corp.example', gender: '2' },
      status: 1,
    })
    const run = await syncOnce(stack, 'full', { stageBatch: 5 })
    expect(run.status).toBe('succeeded')
    const [row] = await stack.deps.db.query(
      `select name, alias, position, department_ids, main_department, status, gender, mobile, telephone, email, direct_leaders, name_pinyin <> '' as has_pinyin, sync_hash <> '' as has_hash
         from members where userid = 'quoted.one'`,
    )
    expect(row).toEqual({
      name: '引号"人',
      alias: 'NULL',
      position: '主管 {A,B} \\ "C"',
      department_ids: [2, 3],
      main_department: 3,
      status: 1,
      gender: 2,
      mobile: '13800000000',
      telephone: '010-1234,5',
      email: 'q"o@corp.example',
      direct_leaders: ['zhangsan', 'lisi'],
      has_pinyin: true,
      has_hash: true,
    })
    const deps = await stack.deps.db.query<{ department_id: number; sort_order: string | number; is_leader: boolean }>(
      "select department_id, sort_order, is_leader from member_departments where userid = 'quoted.one' order by department_id",
    )
    expect(deps.map((d) => ({ ...d, sort_order: Number(d.sort_order) }))).toEqual([
      { department_id: 2, sort_order: 7, is_leader: true },
      { department_id: 3, sort_order: 4294967295, is_leader: false },
    ])
    // A second run finds nothing changed: the stored hash is the one the member is compared by.
    const again = await syncOnce(stack, 'full', { stageBatch: 5 })
    expect(again.counts).toMatchObject({ membersCreated: 0, membersUpdated: 0 })
    await sandboxAdmin(stack, 'DELETE', 'org/users/quoted.one')
  })
})

describe.skipIf(!TEST_DATABASE_URL)('two BFF instances on one PostgreSQL, racing', () => {
  it('a run whose lock connection ends mid-read (a database restart) writes nothing: another instance may hold the lock by then', async () => {
    const a = await startStack({ db: await postgresTestDb(TEST_DATABASE_URL!), sandbox: { callback: undefined } })
    try {
      await sandboxAdmin(a, 'POST', 'faults', { path: '/cgi-bin/user/list', latencyMs: 30 })
      let killed: Promise<unknown> | undefined
      const r = await engineFor(a).run({
        kind: 'full',
        trigger: 'manual',
        // The session holding the advisory lock is ended, as a restart would.
        onProgress: (p) =>
          void (p.phase === 'reading' && p.done === 12 && (killed ??= a.deps.db.query("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and classid::bigint = $1 and objid::bigint = (hashtext(current_schema())::bigint & 4294967295)", [SYNC_LOCK]))),
      })
      expect(await killed).toHaveLength(1)
      if (r === 'busy') throw new Error('run busy')
      expect(r.status).toBe('failed')
      expect((await getRun(a.deps.db, r.runId))!.errors[0]!.message).toMatch(/^lost the sync lock/)
      expect(await count(a, 'select count(*) as n from members')).toBe(0)
      expect(await staged(a)).toBe(0)
      // The next run takes the lock afresh and writes everything.
      const next = await syncOnce(a)
      expect(next.status).toBe('succeeded')
      expect(await count(a, 'select count(*) as n from members')).toBe(next.counts.membersSeen)
    } finally {
      await a.close()
    }
  })

  it('the instance that loses the leader lock leaves the winner its staged rows', async () => {
    const url = TEST_DATABASE_URL!
    const a = await startStack({ db: await postgresTestDb(url), sandbox: { callback: undefined } })
    const schema = ((await a.deps.db.query<{ s: string }>('select current_schema() as s'))[0] as { s: string }).s
    const { openDb } = await import('@portal/bff/db')
    const b = await startStack({ db: await openDb({ url: `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}` }), sandbox: { callback: undefined } })
    try {
      await sandboxAdmin(a, 'POST', 'faults', { path: '/cgi-bin/user/list', latencyMs: 30 })
      let second: Promise<unknown> | undefined
      const r = await engineFor(a).run({
        kind: 'full',
        trigger: 'manual',
        onProgress: (p) => void (p.phase === 'reading' && p.done === 12 && (second ??= engineFor(b).run({ kind: 'full', trigger: 'manual' }))),
      })
      expect(await second).toBe('busy')
      if (r === 'busy') throw new Error('first run busy')
      const run = (await getRun(a.deps.db, r.runId))!
      expect(run.status).toBe('succeeded')
      expect(run.counts.membersCreated).toBe(run.counts.membersSeen)
      expect(await count(a, 'select count(*) as n from members')).toBe(run.counts.membersSeen)
      expect(await staged(a)).toBe(0)
    } finally {
      await b.close()
      await a.close()
    }
  })
})
