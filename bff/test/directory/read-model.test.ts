import { afterEach, expect, it, vi } from 'vitest'
import type { Db } from '../../src/db'
import { upsertMembers } from '../../src/directory/apply-diff'
import type { MemberRecord } from '../../src/directory/member-store'
import { DirectoryReadModel } from '../../src/directory/read-model'
import { bumpDirectoryVersion } from '../../src/directory/version'
import { describeEachDb } from '../helpers/test-db'

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
})
