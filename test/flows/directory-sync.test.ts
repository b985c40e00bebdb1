import { postgresTestDb, TEST_DATABASE_URL, pgliteTestDb } from '@portal/bff/testing/db'
import type { Db } from '@portal/bff/db'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { memberRow, sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

const databases: [string, () => Promise<Db>][] = [['PGlite', pgliteTestDb]]
const pgUrl = TEST_DATABASE_URL
if (pgUrl) databases.push(['PostgreSQL', () => postgresTestDb(pgUrl)])

const count = async (s: Stack, sql: string) => Number(((await s.deps.db.query<{ n: string }>(sql))[0] as { n: string }).n)

describe.each(databases)('directory sync against the sandbox [%s]', (_name, openDb) => {
  let stack: Stack
  beforeAll(async () => {
    // Sync alone: without callbacks, which would otherwise apply the changes first.
    stack = await startStack({ db: await openDb(), sandbox: { callback: undefined } })
  })
  afterAll(() => stack.close())
  beforeEach(async () => {
    await sandboxAdmin(stack, 'DELETE', 'faults')
  })

  it('a read that fails part-way writes nothing and says why', async () => {
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/user/list', errcode: 60011, errmsg: 'no privilege to access/modify contact/party/agent', times: 1 })
    const run = await syncOnce(stack)
    expect(run.status).toBe('failed')
    expect(run.errors[0]).toMatchObject({ errcode: 60011 })
    expect(await count(stack, 'select count(*) as n from members')).toBe(0)
  })

  it('stops on 60020 naming the egress IP to whitelist', async () => {
    await sandboxAdmin(stack, 'POST', 'settings', { ipAllowlist: [] })
    try {
      const run = await syncOnce(stack)
      expect(run.status).toBe('failed')
      expect(run.errors[0]!.errcode).toBe(60020)
      expect(run.errors[0]!.hint).toMatch(/127\.0\.0\.1|::1/)
    } finally {
      await sandboxAdmin(stack, 'POST', 'settings', { ipAllowlist: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] })
    }
  })

  it('first sync: every visible department and member, retrying transient faults', async () => {
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/user/list', errcode: -1, errmsg: 'system busy', times: 3 })
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/user/list', httpStatus: 502, times: 2 })
    const run = await syncOnce(stack)
    expect(run.status).toBe('succeeded')
    const org = stack.sandbox.state.directory
    expect(run.counts.departmentsSeen).toBeGreaterThanOrEqual(15)
    expect(run.counts.membersCreated).toBe(run.counts.membersSeen)
    expect(run.counts.membersSeen).toBeGreaterThanOrEqual(200)
    expect(await count(stack, 'select count(*) as n from departments')).toBe(run.counts.departmentsSeen)
    expect(org).toBeTruthy()
    const zs = await memberRow(stack, 'zhangsan')
    expect(zs).toMatchObject({ name: '张三', status: 1, disabled_at: null })
    const [keys] = await stack.deps.db.query<{ name_pinyin: string; name_initials: string }>("select name_pinyin, name_initials from members where userid = 'zhangsan'")
    expect(keys).toEqual({ name_pinyin: 'zhangsan', name_initials: 'zs' })
  })

  it('a sync with no upstream change writes nothing', async () => {
    const run = await syncOnce(stack)
    expect(run.status).toBe('succeeded')
    expect(run.counts.rowsWritten).toBe(0)
    expect(run.counts.membersUpdated + run.counts.membersCreated + run.counts.membersDisabled).toBe(0)
  })

  it('faults at random pages fail the run, disable nobody, and the next run recovers', async () => {
    // Seeded dice: about one user/list call in five answers an error that retrying cannot fix.
    await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/user/list', errcode: 60011, errmsg: 'no privilege to access/modify contact/party/agent', probability: 0.2 })
    const broken = await syncOnce(stack)
    expect(broken.status).toBe('failed')
    expect(broken.errors[0]!.errcode).toBe(60011)
    expect(await count(stack, 'select count(*) as n from members where disabled_at is not null')).toBe(0)
    await sandboxAdmin(stack, 'DELETE', 'faults')
    const recovered = await syncOnce(stack)
    expect(recovered.status).toBe('succeeded')
    expect(recovered.counts.membersDisabled).toBe(0)
    expect(recovered.counts.rowsWritten).toBe(0)
  })

  it('the forced run rewrites every row', async () => {
    const run = await syncOnce(stack, 'force')
    expect(run.status).toBe('succeeded')
    expect(run.counts.membersUpdated).toBe(run.counts.membersSeen)
    expect(run.counts.membersDisabled).toBe(0)
  })

  it('a narrowed visible range is held by the guard: nobody is disabled until an admin confirms', async () => {
    const active = await count(stack, 'select count(*) as n from members where disabled_at is null and status = 1')
    await sandboxAdmin(stack, 'POST', 'settings', { visibleRange: { departments: [2], users: [] } })
    try {
      const held = await syncOnce(stack)
      expect(held.status).toBe('held')
      expect(held.hold!.wouldDisable).toBeGreaterThan(0.2 * active)
      expect(await count(stack, 'select count(*) as n from members where disabled_at is not null')).toBe(0)
      const confirmed = await syncOnce(stack, 'full', { allowDisableUpTo: held.hold!.wouldDisable })
      expect(confirmed.status).toBe('succeeded')
      expect(confirmed.counts.membersDisabled).toBeGreaterThan(0)
      expect(await count(stack, 'select count(*) as n from members')).toBeGreaterThanOrEqual(active) // disabled, never deleted
    } finally {
      await sandboxAdmin(stack, 'POST', 'settings', { visibleRange: { departments: [1], users: [] } })
    }
    const back = await syncOnce(stack)
    expect(back.status).toBe('succeeded')
    expect(await count(stack, 'select count(*) as n from members where disabled_at is not null')).toBe(0)
  })

  it('a member who quits is disabled and their sessions end', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('wujiu'))
    expect((await b.request(`${stack.appUrl}/api/me`)).status).toBe(200)
    await sandboxAdmin(stack, 'PATCH', 'org/users/wujiu', { status: 5 })
    const run = await syncOnce(stack)
    expect(run.status).toBe('succeeded')
    const row = await memberRow(stack, 'wujiu')
    expect(row!.status === 5 || row!.disabled_at !== null).toBe(true)
    expect((await b.request(`${stack.appUrl}/api/me`)).status).toBe(401)
  })

  it("several members who quit in one run: the sessions of each end, and no one else's", async () => {
    const signedIn = async (userid: string) => {
      const b = new TestBrowser(UA.wecomMobile)
      await b.go(`${stack.appUrl}/auth/login`, signedInAs(userid))
      expect((await b.request(`${stack.appUrl}/api/me`)).status).toBe(200)
      return b
    }
    const [lisi, zhouba, zhangsan] = [await signedIn('lisi'), await signedIn('zhouba'), await signedIn('zhangsan')]
    try {
      for (const u of ['lisi', 'zhouba']) await sandboxAdmin(stack, 'PATCH', `org/users/${u}`, { status: 5 })
      expect((await syncOnce(stack)).status).toBe('succeeded')
      expect([(await lisi.request(`${stack.appUrl}/api/me`)).status, (await zhouba.request(`${stack.appUrl}/api/me`)).status]).toEqual([401, 401])
      expect((await zhangsan.request(`${stack.appUrl}/api/me`)).status).toBe(200)
    } finally {
      for (const u of ['lisi', 'zhouba']) await sandboxAdmin(stack, 'PATCH', `org/users/${u}`, { status: 1 })
      expect((await syncOnce(stack)).status).toBe('succeeded')
    }
  })

  it('applies moves, renames, new and removed departments', async () => {
    const { department: dep } = (await sandboxAdmin(stack, 'POST', 'org/departments', { name: '新业务部', parentid: 1, order: 5 })) as { department: { id: number } }
    await sandboxAdmin(stack, 'PATCH', 'org/users/lisi', { department: [dep.id], main_department: dep.id })
    await sandboxAdmin(stack, 'PATCH', 'org/departments/2', { name: '研发中心（更名）' })
    const run = await syncOnce(stack)
    expect(run.status).toBe('succeeded')
    expect(run.counts.departmentsCreated).toBe(1)
    expect(run.counts.departmentsUpdated).toBeGreaterThanOrEqual(1)
    expect((await memberRow(stack, 'lisi'))!.department_ids).toEqual([dep.id])
    await sandboxAdmin(stack, 'PATCH', 'org/users/lisi', { department: [2], main_department: 2 })
    await sandboxAdmin(stack, 'DELETE', `org/departments/${dep.id}`)
    const again = await syncOnce(stack)
    expect(again.counts.departmentsRemoved).toBe(1)
    const [removed] = await stack.deps.db.query<{ removed_at: Date | null }>('select removed_at from departments where id = $1', [dep.id])
    expect(removed!.removed_at).not.toBeNull()
  })
})

describe.skipIf(!TEST_DATABASE_URL)('two BFF instances on one PostgreSQL', () => {
  it('run one sync at a time', async () => {
    const url = TEST_DATABASE_URL!
    const a = await startStack({ db: await postgresTestDb(url) })
    // Instance B: same schema, its own connection pool.
    const schema = ((await a.deps.db.query<{ s: string }>('select current_schema() as s'))[0] as { s: string }).s
    const { openDb } = await import('@portal/bff/db')
    const bDb = await openDb({ url: `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}` })
    const b = await startStack({ db: bDb })
    try {
      for (const s of [a, b]) await sandboxAdmin(s, 'POST', 'faults', { path: '/cgi-bin/user/list', latencyMs: 100 })
      const [ra, rb] = await Promise.all([a.deps.sync.start({ kind: 'full', trigger: 'manual' }).done, b.deps.sync.start({ kind: 'full', trigger: 'manual' }).done])
      expect([ra, rb].filter((r) => r === 'busy')).toHaveLength(1)
    } finally {
      await b.close()
      await a.close()
    }
  })
})
