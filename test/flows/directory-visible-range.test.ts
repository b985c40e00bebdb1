import { postgresTestDb, TEST_DATABASE_URL, pgliteTestDb } from '@portal/bff/testing/db'
import type { Db } from '@portal/bff/db'
import { getRun } from '@portal/bff/directory/sync-runs'
import { departmentTreeSchema, memberDetailSchema, memberPageSchema, syncRunSchema, type MemberSummary, type SyncRun } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

const databases: [string, () => Promise<Db>][] = [['PGlite', pgliteTestDb]]
if (TEST_DATABASE_URL) databases.push(['PostgreSQL', () => postgresTestDb(TEST_DATABASE_URL!)])

/** 门户试点 names 孙七 (行政部, not activated), 李四 (研发中心 too) and the whole 市场部 (9). */
const TAG = { tagid: 21, tagname: '门户试点', users: ['sunqi', 'lisi'], departments: [9] }
/** 研发中心 (2), 吴九 (客服中心) and 周八 (also in 研发中心) by name, and the tag. */
const RANGE = { departments: [2], users: ['WuJiu', 'zhouba'], tags: [21] }

const count = async (s: Stack, sql: string, params: unknown[] = []) => Number(((await s.deps.db.query<{ n: string }>(sql, params))[0] as { n: string }).n)
const calls = async (s: Stack) => ((await sandboxAdmin(s, 'GET', 'stats')) as { calls: Record<string, number> }).calls

/** Who WeCom lets the app see with RANGE: members of both subtrees and the three named people (quit members are gone). */
function expectedUserids(s: Stack): Set<string> {
  const { org } = s.sandbox.state.directory
  const inTree = new Set<number>([2, 9])
  for (let grew = true; grew; ) {
    grew = false
    for (const d of org.departments) if (inTree.has(d.parentid) && !inTree.has(d.id)) grew = Boolean(inTree.add(d.id))
  }
  const out = new Set(['wujiu', 'zhouba', 'sunqi', 'lisi'])
  for (const m of org.members) if (m.status !== 5 && m.department.some((d) => inTree.has(d))) out.add(m.userid)
  return out
}

describe.each(databases)('the whole visible range: departments, members and tags [%s]', (_name, openDb) => {
  let stack: Stack
  let b: TestBrowser
  const get = async (path: string) => {
    const res = await b.request(`${stack.appUrl}${path}`)
    return { status: res.status, body: (await res.json()) as unknown }
  }
  beforeAll(async () => {
    stack = await startStack({ db: await openDb(), sandbox: { callback: undefined, visibleRange: RANGE, tags: [TAG] } })
  })
  afterAll(() => stack.close())

  it('syncs everyone in the range once, with user/get only for the people no department list had', async () => {
    const before = await calls(stack)
    const run = await syncOnce(stack)
    expect(run.status).toBe('succeeded')
    const after = await calls(stack)
    const delta = (path: string) => (after[path] ?? 0) - (before[path] ?? 0)
    expect(delta('/cgi-bin/agent/get')).toBe(1)
    expect(delta('/cgi-bin/tag/get')).toBe(1)
    // 吴九 and 孙七 are in no visible department; 周八 and 李四 came with 研发中心.
    expect(delta('/cgi-bin/user/get')).toBe(2)

    const expected = expectedUserids(stack)
    const rows = await stack.deps.db.query<{ userid: string }>('select userid from members where disabled_at is null')
    expect(new Set(rows.map((r) => r.userid.toLowerCase()))).toEqual(expected)
    expect(run.counts.membersSeen).toBe(expected.size)
    expect(await count(stack, "select count(*) as n from members where lower(userid) in ('zhouba', 'lisi')")).toBe(2)
    // Only visible departments are in the tree: 吴九's 客服中心 is not.
    expect(await count(stack, 'select count(*) as n from departments where id = 19')).toBe(0)
  })

  it('a run with nothing changed upstream disables nobody reached through a member or a tag', async () => {
    const run = await syncOnce(stack)
    expect(run.status).toBe('succeeded')
    expect(run.counts.membersDisabled).toBe(0)
    expect(run.counts.rowsWritten).toBe(0)
  })

  it('the directory lists people outside every visible department under 其他可见成员', async () => {
    b = new TestBrowser(UA.wecomMobile)
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
    const tree = departmentTreeSchema.parse((await get('/api/directory/departments')).body)
    expect(tree.otherMembers).toBe(2)
    expect(tree.roots.map((r) => r.id).sort((x, y) => x - y)).toEqual([2, 9])
    const others = memberPageSchema.parse((await get('/api/directory/other-members')).body)
    expect(others.items.map((m) => [m.userid, m.name, m.mainDepartment])).toEqual([
      ['sunqi', '孙七', null],
      ['wujiu', '吴九', null],
    ])
    expect(others).toMatchObject({ total: 2, nextCursor: null })
    const card = memberDetailSchema.parse((await get('/api/directory/members/wujiu')).body)
    expect(card).toMatchObject({ userid: 'wujiu', name: '吴九', departments: [], mainDepartment: null })
    const paged = memberPageSchema.parse((await get('/api/directory/other-members?limit=1')).body)
    const rest = memberPageSchema.parse((await get(`/api/directory/other-members?limit=1&cursor=${paged.nextCursor}`)).body)
    expect([...paged.items, ...rest.items].map((m) => m.userid)).toEqual(['sunqi', 'wujiu'])
    expect(await get('/api/directory/other-members?cursor=12')).toMatchObject({ status: 400, body: { error: { code: 'bad_request', fields: { cursor: expect.any(String) } } } })
  })

  it('member lists page by keyset: a sync between two pages neither skips nor repeats anyone', async () => {
    const page = async (cursor?: string | null) =>
      memberPageSchema.parse((await get(`/api/directory/departments/3/members?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body)
    const first = await page()
    const beforeAll = [...first.items]
    for (let c = first.nextCursor; c; ) {
      const p = await page(c)
      beforeAll.push(...p.items)
      c = p.nextCursor
    }
    expect(beforeAll.length).toBeGreaterThanOrEqual(6)
    // Between page 1 and page 2: someone on page 1 leaves and two newcomers sort first. An offset
    // would now list page 1's last person again.
    const gone = first.items[0]!.userid
    await sandboxAdmin(stack, 'DELETE', `org/users/${gone}`)
    for (const userid of ['keyset-a', 'keyset-b']) await sandboxAdmin(stack, 'POST', 'org/users', { userid, name: `新人${userid}`, department: [3], order: [100000], status: 1 })
    expect((await syncOnce(stack)).status).toBe('succeeded')

    const seen: MemberSummary[] = [...first.items]
    for (let c = first.nextCursor; c; ) {
      const p = await page(c)
      seen.push(...p.items)
      c = p.nextCursor
    }
    const ids = seen.map((m) => m.userid)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(beforeAll.map((m) => m.userid))
    const fresh = await page()
    expect(fresh.items.slice(0, 2).map((m) => m.userid).sort()).toEqual(['keyset-a', 'keyset-b'])
    expect(fresh.items.map((m) => m.userid)).not.toContain(gone)
  })

  it('held: the count shown is the count confirmed and the count disabled, not-activated people included', async () => {
    // Only 张三 stays visible: everyone else would go, 孙七 (not activated) among them.
    await sandboxAdmin(stack, 'POST', 'settings', { visibleRange: { departments: [], users: ['zhangsan'], tags: [] } })
    const disabled = () => count(stack, 'select count(*) as n from members where disabled_at is not null')
    const listed = await count(stack, 'select count(*) as n from members where disabled_at is null')
    const disabledBefore = await disabled() // the keyset test's leaver
    const held = await syncOnce(stack)
    expect(held.status).toBe('held')
    expect(held.hold).toEqual({ wouldDisable: listed - 1, members: listed, maxShare: 0.2 })
    expect(await disabled()).toBe(disabledBefore)
    const preview = (await getPreview(held.id)).sample.map((s) => s.userid)
    expect(preview).toContain('sunqi')

    const admin = new TestBrowser(UA.wecomMobile)
    await admin.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
    const res = await admin.request(`${stack.appUrl}/api/admin/sync/runs/${held.id}/confirm`, { method: 'POST', headers: { origin: new URL(stack.appUrl).origin } })
    expect(res.status).toBe(202)
    const done = await settle(syncRunSchema.parse(await res.json()).id)
    expect(done.status).toBe('succeeded')
    expect(done.counts.membersDisabled).toBe(held.hold!.wouldDisable)
    expect(await disabled()).toBe(disabledBefore + held.hold!.wouldDisable)
    expect(await count(stack, "select count(*) as n from members where userid = 'sunqi' and disabled_at is not null")).toBe(1)
    // The held run now says who carried it out; it is neither "cancelled" nor still "held".
    const after = (await getRun(stack.deps.db, held.id))!
    expect(after).toMatchObject({ status: 'confirmed', hold: { wouldDisable: held.hold!.wouldDisable, members: listed, confirmedBy: done.id } })
  })

  async function getPreview(id: number): Promise<{ sample: { userid: string }[] }> {
    const admin = new TestBrowser(UA.wecomMobile)
    await admin.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
    return (await (await admin.request(`${stack.appUrl}/api/admin/sync/runs/${id}/preview`)).json()) as { sample: { userid: string }[] }
  }

  async function settle(id: number): Promise<SyncRun> {
    for (let i = 0; i < 400; i++) {
      const run = (await getRun(stack.deps.db, id))!
      if (run.status !== 'running') return run
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`run ${id} still running`)
  }
})
