import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { settingsOf } from '../../src/admin/settings/runtime'
import type { Db } from '../../src/db'
import { hostUpserts, type HostUpsert } from '../../src/todos/host-todos'
import type { TodoFields } from '../../src/todos/store'
import { testConfig } from '../callbacks/helpers'
import { describeEachDb } from '../helpers/test-db'

const config = testConfig()
const card = { config, settings: settingsOf(config) }
const item = (ref: string, extra: Partial<TodoFields> = {}, notify = true): HostUpsert => ({
  card,
  fields: { assignee: 'lisi', source: 'host', origin: 'oa', ref, externalId: ref, title: `审核 ${ref}`, summary: '', link: 'https://oa.example.com/x', status: 'pending', ...extra },
  notify,
  now: new Date('2026-12-03T10:00:00Z'),
  touched: new Set(),
})
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

describeEachDb('host todo creates sharing a group', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db.close())
  beforeEach(() => db.exec('truncate todos, outbox'))
  const todos = async () => (await db.query<{ ref: string; title: string }>("select ref, title from todos where source = 'host' order by ref")).map((r) => `${r.ref}:${r.title}`)
  const cards = async () => (await db.query<{ ref: string }>("select t.ref from outbox o join todos t on o.ref_kind = 'todo' and t.id = o.ref_id order by t.ref")).map((r) => r.ref)

  // ---- failure paths first -------------------------------------------------------------------

  it('one todo the database refuses fails alone, with its own error: the others are created with their cards', async () => {
    const results = await Promise.allSettled(range(12).map((i) => db.writeBatched(hostUpserts, item(`c-${String(i).padStart(2, '0')}`, i === 6 ? { status: 'bogus' as never } : {}))))
    expect(results.filter((r) => r.status === 'rejected')).toEqual([expect.objectContaining({ reason: expect.objectContaining({ code: '23514' }) })])
    expect(results[6]!.status).toBe('rejected')
    const good = range(12).filter((i) => i !== 6).map((i) => `c-${String(i).padStart(2, '0')}`)
    expect(await todos()).toEqual(good.map((r) => `${r}:审核 ${r}`))
    expect(await cards()).toEqual(good)
  })

  // ---- normal paths ----------------------------------------------------------------------------

  it('creates each new todo with one card, updates one that exists, and the same key twice is one todo', async () => {
    await db.writeBatched(hostUpserts, item('old'))
    const results = await Promise.all([
      ...range(8).map((i) => db.writeBatched(hostUpserts, item(`n-${i}`, {}, i !== 3))),
      db.writeBatched(hostUpserts, item('old', { title: '改了' })),
      db.writeBatched(hostUpserts, item('twice')),
      db.writeBatched(hostUpserts, item('twice', { title: '第二次' })),
    ])
    expect(results.map((r) => r.created)).toEqual([...range(8).map(() => true), false, true, false])
    expect(results.map((r) => r.queued)).toEqual([true, true, true, false, true, true, true, true, false, true, false])
    // Each created todo has its own id and the fields it was given.
    expect(new Set(results.map((r) => r.todo.id)).size).toBe(10)
    expect(results[8]!.todo.title).toBe('改了')
    expect(results[10]!.todo.title).toBe('第二次')
    expect(await todos()).toEqual([...range(8).map((i) => `n-${i}:审核 n-${i}`), 'old:改了', 'twice:第二次'])
    // notify:false queued nothing; an update of a pending todo for the same person queues nothing.
    expect(await cards()).toEqual(['n-0', 'n-1', 'n-2', 'n-4', 'n-5', 'n-6', 'n-7', 'old', 'twice'])
  })
})
