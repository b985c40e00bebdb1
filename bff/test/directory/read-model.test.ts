import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Db } from '../../src/db'
import { upsertDepartments, upsertMembers } from '../../src/directory/apply-diff'
import { disableMembers, type MemberRecord } from '../../src/directory/member-store'
import { DirectoryReadModel } from '../../src/directory/read-model'
import { bumpDirectoryVersion } from '../../src/directory/version'
import { describeEachDb, postgresTestDb, REQUIRE_ALL, TEST_DATABASE_URL } from '../helpers/test-db'

const member = (userid: string, name: string): MemberRecord => ({ userid, name, position: '工程师', departments: [], status: 1, directLeaders: [] })

/** A write as any instance makes it: the rows and the version bump, in one transaction. */
const write = (db: Db, m: MemberRecord) =>
  db.transaction(async (tx) => {
    await upsertMembers(tx, [m], new Date())
    await bumpDirectoryVersion(tx, true)
  })

describeEachDb('directory read model', (open) => {
  let db: Db | undefined
  afterEach(async () => {
    await db?.close()
    db = undefined
  })

  it('follows a write made elsewhere once its check is due, answering from the view it has meanwhile', async () => {
    db = await open()
    let t = 0
    const model = new DirectoryReadModel(db, () => t, 2_000)
    await write(db, member('zhangsan', '张三'))
    const first = await model.current()
    expect(first.search.search('zs', 30).items.map((m) => m.userid)).toEqual(['zhangsan'])

    await write(db, member('zhangsi', '张四'))
    t = 1_999
    expect(await model.current()).toBe(first)
    t = 2_000
    // Due: a look starts, and this request is not held up by it.
    expect(await model.current()).toBe(first)
    await vi.waitFor(async () => expect((await model.current()).version).toBeGreaterThan(first.version))
    const next = await model.current()
    expect(next.search.search('zs', 30).items.map((m) => m.userid)).toEqual(['zhangsan', 'zhangsi'])
    expect(next.responses.size).toBe(0)
  })

  it('after invalidate() (a write in this process) the next request waits for the new view', async () => {
    db = await open()
    const model = new DirectoryReadModel(db, () => 0, 60_000)
    const first = await model.current()
    expect(first.search.search('lisi', 30).total).toBe(0)
    await write(db, member('lisi', '李四'))
    expect(await model.current()).toBe(first)
    model.invalidate()
    expect((await model.current()).search.search('lisi', 30).items.map((m) => m.userid)).toEqual(['lisi'])
  })

  it('after invalidate({ wait: false }) (a callback applied here) the next request starts the rebuild and is answered from the view there is', async () => {
    db = await open()
    let t = 0
    // A look is not due for a minute: only the invalidation can start the rebuild.
    const model = new DirectoryReadModel(db, () => t, 60_000)
    const first = await model.current()
    await write(db, member('zhaoliu', '赵六'))
    t = 1_000
    model.invalidate({ wait: false })
    expect(await model.current()).toBe(first)
    await vi.waitFor(async () => expect((await model.current()).members.has('zhaoliu')).toBe(true))
  })

  it('latest() answers at once from the view it has, none before the first build, and starts the rebuild a write asked for', async () => {
    db = await open()
    const model = new DirectoryReadModel(db, () => 0, 60_000)
    expect(model.latest()).toBeUndefined()
    const first = await model.current()
    await write(db, member('wangwu', '王五'))
    model.invalidate()
    expect(model.latest()).toBe(first)
    await vi.waitFor(() => expect(model.latest()?.members.has('wangwu')).toBe(true))
  })

  it('counts each listed person once per department and everything above it, not those gone or disabled', async () => {
    db = await open()
    const at = new Date()
    const dep = (id: number, parentId?: number) => ({ id, name: `部门${id}`, parentId, order: 0, leaders: [] })
    const inDeps = (userid: string, ids: number[], extra: Partial<MemberRecord> = {}): MemberRecord => ({
      ...member(userid, userid),
      departments: ids.map((departmentId) => ({ departmentId, order: 0, isLeader: false })),
      ...extra,
    })
    await db.transaction(async (tx) => {
      // 1 ⊃ 2 ⊃ 3, 1 ⊃ 4; 5 removed (under 1).
      await upsertDepartments(tx, [dep(1), dep(2, 1), dep(3, 2), dep(4, 1), dep(5, 1)], at)
      await tx.query('update departments set removed_at = $1 where id = 5', [at])
      await upsertMembers(
        tx,
        [
          inDeps('a', [3, 4]), // under 1 twice: counted once there
          inDeps('b', [2, 3]), // in 2 and in 3 below it: once in 2
          inDeps('c', [5]), // only in a removed department
          inDeps('d', [3], { status: 2 }), // disabled in WeCom: not listed
          inDeps('e', [4], { status: 4 }), // not yet activated: listed
        ],
        at,
      )
      await bumpDirectoryVersion(tx, true)
    })
    const view = await new DirectoryReadModel(db).current()
    const counts = new Map<number, [number, number]>()
    const walk = (n: { id: number; memberCount: number; totalCount: number; children: unknown[] }) => {
      counts.set(n.id, [n.memberCount, n.totalCount])
      n.children.forEach((c) => walk(c as typeof n))
    }
    ;(JSON.parse(view.treeJson) as { roots: Parameters<typeof walk>[0][] }).roots.forEach(walk)
    expect(Object.fromEntries(counts)).toEqual({ 1: [0, 3], 2: [1, 2], 3: [2, 2], 4: [2, 2] })
  })

  it('loads a directory larger than one page whole: every member once, each with their departments', async () => {
    db = await open()
    const many = Array.from({ length: 4_500 }, (_, i) => ({
      ...member(`u${String(i).padStart(5, '0')}`, `成员${i}`),
      departments: [{ departmentId: 1 + (i % 7), order: i, isLeader: i % 100 === 0 }],
    }))
    await db.transaction(async (tx) => {
      await upsertMembers(tx, many, new Date())
      await bumpDirectoryVersion(tx, true)
    })
    const view = await new DirectoryReadModel(db).current()
    expect(view.members.size).toBe(4_500)
    for (const m of many) expect(view.members.get(m.userid)?.departments).toEqual(m.departments)
  })

  /** The members rows each statement of the model returned, whole loads apart from loads by userid. */
  function countReads(d: Db) {
    const reads = { whole: 0, byUserid: 0 }
    const query = d.query.bind(d)
    d.query = (async (sql: string, params?: unknown[]) => {
      const rows = await query(sql, params)
      if (/^select userid, name, alias/.test(sql)) reads[/userid = any/.test(sql) ? 'byUserid' : 'whole'] += rows.length
      return rows
    }) as Db['query']
    return reads
  }

  it('after a change, reads only the members written since its last load, and sees them as written', async () => {
    db = await open()
    const people = ['zhangsan', 'lisi', 'wangwu', 'zhaoliu'].map((u, i) => ({ ...member(u, `成员${i}`), departments: [{ departmentId: 1, order: i, isLeader: false }] }))
    const xid = await db.transaction(async (tx) => {
      await upsertMembers(tx, people, new Date())
      await bumpDirectoryVersion(tx, true)
      return (await tx.query<{ xid: string }>('select pg_current_xact_id()::text as xid'))[0]!.xid
    })
    // The model reads again what transactions from the oldest one running at its last load wrote.
    // On a PostgreSQL server shared with other tests, a transaction of theirs that began before
    // this write and is still open would make that oldest one older than this write, and the
    // next load would read these four again (harmless, but not what this test counts): start
    // once the server has none running from before it.
    const store = db
    await vi.waitFor(async () => expect((await store.query<{ past: boolean }>('select pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 as past', [xid]))[0]!.past).toBe(true), {
      timeout: 10_000,
      interval: 20,
    })
    const model = new DirectoryReadModel(db, () => 0, 60_000)
    const reads = countReads(db)
    expect((await model.current()).members.size).toBe(4)
    expect(reads).toEqual({ whole: 4, byUserid: 0 })

    await write(db, { ...people[1]!, position: '产品经理', departments: [{ departmentId: 2, order: 9, isLeader: true }] })
    await write(db, member('newcomer', '新人'))
    await db.transaction(async (tx) => {
      await disableMembers(tx, ['WangWu'], new Date())
      await bumpDirectoryVersion(tx, true)
    })
    model.invalidate()
    const view = await model.current()
    expect(reads).toEqual({ whole: 4, byUserid: 3 })
    expect(view.members.get('lisi')).toMatchObject({ position: '产品经理', departments: [{ departmentId: 2, order: 9, isLeader: true }] })
    expect(view.byDepartment.get(2)?.map((m) => m.userid)).toEqual(['lisi'])
    // WeCom's order, larger first; wangwu is disabled.
    expect(view.byDepartment.get(1)?.map((m) => m.userid)).toEqual(['zhaoliu', 'zhangsan'])
    expect(view.members.get('wangwu')?.disabledAt).toBeInstanceOf(Date)
    expect(view.search.search('新人', 30).items.map((m) => m.userid)).toEqual(['newcomer'])
    expect(view.members.size).toBe(5)
  })

  it('after a long rebuild, waits four times as long before the next look: a directory changing all day costs a fifth of a core', async () => {
    db = await open()
    const many = Array.from({ length: 3_000 }, (_, i) => member(`u${i}`, `成员${i}`))
    await db.transaction(async (tx) => {
      await upsertMembers(tx, many, new Date())
      await bumpDirectoryVersion(tx, true)
    })
    let t = 0
    // Looks every millisecond (of this clock) unless a rebuild took longer than a quarter of that.
    const model = new DirectoryReadModel(db, () => t, 1)
    const built = performance.now()
    const first = await model.current()
    const tookMs = performance.now() - built
    await write(db, member('late', '晚到'))
    t = 2
    expect(await model.current()).toBe(first)
    // No look started: had one, its rebuild (one member read) would be done by now.
    await new Promise((r) => setTimeout(r, 300))
    expect(model.latest()).toBe(first)
    // Past four times the rebuild (measured here from outside, so a little longer): a look, and the write.
    t = 4 * tookMs + 1_000
    await vi.waitFor(async () => expect((await model.current()).members.has('late')).toBe(true))
  })

  it('a member deleted by hand is gone after the next change: the model then loads every member again', async () => {
    db = await open()
    await write(db, member('zhangsan', '张三'))
    await write(db, member('ghost', '幽灵'))
    const model = new DirectoryReadModel(db, () => 0, 60_000)
    expect((await model.current()).members.has('ghost')).toBe(true)
    await db.query("delete from members where userid = 'ghost'")
    await write(db, member('lisi', '李四'))
    model.invalidate()
    const view = await model.current()
    expect([...view.members.keys()].sort()).toEqual(['lisi', 'zhangsan'])
  })
})

// Several writers at once (instances, the sync and the callback worker): PGlite has one connection.
describe.skipIf(!TEST_DATABASE_URL && !REQUIRE_ALL)('directory read model [PostgreSQL]', () => {
  it('a write still uncommitted while the model loads is read by the load after it commits', async () => {
    const d = await postgresTestDb(TEST_DATABASE_URL!)
    let release = () => {}
    let slow: Promise<void> | undefined
    try {
      await write(d, member('slow', '慢写入'))
      const model = new DirectoryReadModel(d, () => 0, 60_000)
      await model.current()
      const gate = new Promise<void>((r) => (release = r))
      let written!: () => void
      const inside = new Promise<void>((r) => (written = r))
      // A writer that has changed its member but not yet committed …
      slow = d.transaction(async (tx) => {
        await upsertMembers(tx, [{ ...member('slow', '慢写入'), position: '已改' }], new Date())
        written()
        await gate
        await bumpDirectoryVersion(tx, true)
      })
      await inside
      // … while another commits, and the model loads that one.
      await write(d, member('quick', '快写入'))
      model.invalidate()
      const between = await model.current()
      expect(between.members.get('quick')).toBeDefined()
      expect(between.members.get('slow')?.position).toBe('工程师')
      release()
      await slow
      model.invalidate()
      expect((await model.current()).members.get('slow')?.position).toBe('已改')
    } finally {
      // A failed expectation must not leave the writer open: the schema's drop would wait for it.
      release()
      await slow?.catch(() => {})
      await d.close()
    }
  })
})
