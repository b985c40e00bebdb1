import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { createTodoLists } from '../../src/todos/list-cache'
import { upsertTodo, type TodoFields } from '../../src/todos/store'
import { describeEachDb } from '../helpers/test-db'

const todo = (ref: string, assignee = 'LiSi', status: TodoFields['status'] = 'pending'): TodoFields => ({
  assignee,
  source: 'host',
  origin: 'oa',
  ref,
  title: `待办 ${ref}`,
  summary: '',
  link: 'https://oa.example.com/x',
  status,
})

describeEachDb('todo list cache', (open) => {
  let db: Db
  let now = 1_000_000
  const clock = () => now
  const write = (t: TodoFields) => db.write((tx) => upsertTodo(tx, t, new Date(now)))
  const refs = (l: { items: { ref: string }[] }) => l.items.map((t) => t.ref).sort()

  beforeAll(async () => {
    db = await open()
    // Nothing is cached until the change feed listens (on PostgreSQL a connection of its own,
    // opened at the first subscription): these tests are about the cache, so wait for it.
    db.changes.subscribe('portal_todos', { message: () => {}, gap: () => {} })
    for (let i = 0; !db.changes.live(); i++) {
      if (i > 100) throw new Error('the change feed did not start listening in 10 s')
      await new Promise((r) => setTimeout(r, 100))
    }
  })
  afterAll(() => db.close())

  it('answers from memory until a write to that member is reported, then from the store', async () => {
    const lists = createTodoLists({ db, now: clock })
    await write(todo('a1'))
    expect(refs(await lists.list('lisi', 'pending'))).toEqual(['a1'])
    await write(todo('a2'))
    // Not reported: the cached list stands (this is what makes the hot read cheap).
    expect(refs(await lists.list('LISI', 'pending'))).toEqual(['a1'])
    lists.changed(['LiSi'])
    const after = await lists.list('lisi', 'pending')
    expect(refs(after)).toEqual(['a1', 'a2'])
    expect(after.counts).toEqual({ pending: 2, done: 0 })
  })

  it('drops both lists of the member, and only that member', async () => {
    const lists = createTodoLists({ db, now: clock })
    await write(todo('b1', 'wangwu'))
    expect(refs(await lists.list('wangwu', 'pending'))).toEqual(['b1'])
    expect((await lists.list('wangwu', 'done')).items).toEqual([])
    // A member no other test reports: on PostgreSQL an earlier test's notification may still be
    // on its way to this instance's listener, and would rightly drop that member's list.
    const other = await lists.list('qianjiu', 'pending')
    await write(todo('b1', 'wangwu', 'done'))
    lists.changed(['wangwu', undefined])
    expect((await lists.list('wangwu', 'pending')).items).toEqual([])
    expect(refs(await lists.list('wangwu', 'done'))).toEqual(['b1'])
    expect(await lists.list('qianjiu', 'pending')).toBe(other)
  })

  it('does not keep a list read before a change it did not see', async () => {
    const lists = createTodoLists({ db, now: clock })
    const stale = lists.list('zhaoliu', 'pending')
    // The write commits and is reported while the read is still in flight.
    await write(todo('c1', 'zhaoliu'))
    lists.changed(['zhaoliu'])
    await stale
    expect(refs(await lists.list('zhaoliu', 'pending'))).toEqual(['c1'])
  })

  it('shares one read among concurrent requests for the same list', async () => {
    const lists = createTodoLists({ db, now: clock })
    const [x, y] = await Promise.all([lists.list('lisi', 'pending'), lists.list('lisi', 'pending')])
    expect(x).toBe(y)
  })

  it('re-reads after its time to live, whatever it heard', async () => {
    const lists = createTodoLists({ db, now: clock, ttlMs: 1_000 })
    await write(todo('d1', 'sunqi'))
    const first = await lists.list('sunqi', 'pending')
    await write(todo('d2', 'sunqi'))
    now += 999
    expect(await lists.list('sunqi', 'pending')).toBe(first)
    now += 1
    expect(refs(await lists.list('sunqi', 'pending'))).toEqual(['d1', 'd2'])
  })

  it('holds at most maxItems todos, the least recently read leaving first', async () => {
    const lists = createTodoLists({ db, now: clock, maxItems: 4 })
    for (const m of ['e1', 'e2', 'e3']) await write(todo(`x-${m}`, m))
    const e1 = await lists.list('e1', 'pending')
    const e2 = await lists.list('e2', 'pending')
    await lists.list('e1', 'pending') // e1 now more recent than e2
    await lists.list('e3', 'pending') // 3 lists of 1 todo, 2 units each: e2 must go
    expect(await lists.list('e1', 'pending')).toBe(e1)
    expect(await lists.list('e2', 'pending')).not.toBe(e2)
  })
})
