import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { createRateBudgets, type Budget } from '../../src/rate/budget'
import { describeEachDb, postgresTestDb, REQUIRE_ALL, TEST_DATABASE_URL } from '../helpers/test-db'

const T0 = Date.UTC(2026, 10, 2, 1, 0, 0)
const minute = (name: string, limit = 30): Budget => ({ name, windowMs: 60_000, slotMs: 2_000, limit })
const hour = (name: string, limit: number): Budget => ({ name, windowMs: 3_600_000, slotMs: 120_000, limit })

describeEachDb('rate budgets shared through the database', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db.close()
  })
  beforeEach(async () => {
    await db.query('delete from rate_buckets')
  })

  // ---- failure paths first -------------------------------------------------------------------

  it('grants nothing once the budget is spent, and says when the window lets units go', async () => {
    const b = createRateBudgets(db)
    expect(await b.take([{ budgets: [minute('m')], want: 30 }], T0 + 500)).toEqual([{ granted: 30 }])
    // The slot [T0, T0 + 2 s) is counted until it is wholly a minute old.
    expect(await b.take([{ budgets: [minute('m')], want: 1 }], T0 + 30_000)).toEqual([{ granted: 0, freeAt: T0 + 62_000 }])
    expect(await b.take([{ budgets: [minute('m')], want: 1 }], T0 + 61_999)).toEqual([{ granted: 0, freeAt: T0 + 62_000 }])
    expect(await b.take([{ budgets: [minute('m')], want: 1 }], T0 + 62_000)).toEqual([{ granted: 1 }])
  })

  it('counts a sliding window: 30 at the end of one minute leave none for the start of the next', async () => {
    const b = createRateBudgets(db)
    expect(await b.take([{ budgets: [minute('m')], want: 30 }], T0 + 59_000)).toEqual([{ granted: 30 }])
    // An aligned fixed minute would start afresh here and let 30 more through within 2 s.
    expect(await b.take([{ budgets: [minute('m')], want: 30 }], T0 + 61_000)).toEqual([{ granted: 0, freeAt: T0 + 120_000 }])
  })

  it('grants part of a request and says when the rest fits', async () => {
    const b = createRateBudgets(db)
    await b.take([{ budgets: [minute('m')], want: 10 }], T0)
    await b.take([{ budgets: [minute('m')], want: 10 }], T0 + 10_000)
    // 10 left now; 20 more once the first slot (10) and the second (10) are out of the window.
    expect(await b.take([{ budgets: [minute('m')], want: 30 }], T0 + 20_000)).toEqual([{ granted: 10, freeAt: T0 + 72_000 }])
    expect(await b.take([{ budgets: [minute('m')], want: 45 }], T0 + 20_000)).toEqual([{ granted: 0, freeAt: T0 + 82_000 }])
  })

  it('takes from all budgets of a request or from none: a spent hour leaves the minute untouched', async () => {
    const b = createRateBudgets(db)
    const both = [minute('m'), hour('m', 3)]
    expect(await b.take([{ budgets: both, want: 2 }], T0)).toEqual([{ granted: 2 }])
    expect(await b.take([{ budgets: both, want: 5 }], T0 + 70_000)).toEqual([{ granted: 1, freeAt: T0 + 3_720_000 }])
    expect(await b.take([{ budgets: both, want: 1 }], T0 + 140_000)).toEqual([{ granted: 0, freeAt: T0 + 3_720_000 }])
    // The minute alone still has its 30: the refused requests took nothing from it.
    expect(await b.take([{ budgets: [minute('m')], want: 30 }], T0 + 140_000)).toEqual([{ granted: 30 }])
  })

  it('a whole take that one request cannot have takes nothing from the others, and says when it can', async () => {
    const b = createRateBudgets(db)
    expect(await b.take([{ budgets: [minute('busy')], want: 30 }], T0)).toEqual([{ granted: 30 }])
    const group = [{ budgets: [minute('a')], want: 1 }, { budgets: [minute('busy')], want: 1 }, { budgets: [minute('b')], want: 2 }]
    expect(await b.take(group, T0 + 10_000, { whole: true })).toEqual([{ granted: 0 }, { granted: 0, freeAt: T0 + 62_000 }, { granted: 0 }])
    // a and b still have all 30: the refused take left them untouched.
    expect(await b.take([{ budgets: [minute('a')], want: 30 }, { budgets: [minute('b')], want: 30 }], T0 + 10_000)).toEqual([{ granted: 30 }, { granted: 30 }])
    expect(await b.take([{ budgets: [minute('c')], want: 1 }, { budgets: [minute('busy')], want: 1 }], T0 + 62_000, { whole: true })).toEqual([{ granted: 1 }, { granted: 1 }])
  })

  it('keeps budgets apart and answers each request of a batch in order', async () => {
    const b = createRateBudgets(db)
    await b.take([{ budgets: [minute('a')], want: 29 }], T0)
    const grants = await b.take(
      [
        { budgets: [minute('a')], want: 3 },
        { budgets: [minute('b')], want: 3 },
        { budgets: [minute('c', 2)], want: 3 },
      ],
      T0 + 1_000,
    )
    expect(grants).toEqual([{ granted: 1, freeAt: T0 + 62_000 }, { granted: 3 }, { granted: 2, freeAt: T0 + 62_000 }])
  })

  it('refuses one budget named twice in a take (the caller merges them)', async () => {
    const b = createRateBudgets(db)
    await expect(b.take([{ budgets: [minute('a')], want: 1 }, { budgets: [minute('a')], want: 1 }], T0)).rejects.toThrow(/named twice/)
  })

  it('a clock behind the last taker neither moves the window back nor finds spare units', async () => {
    const b = createRateBudgets(db)
    await b.take([{ budgets: [minute('m')], want: 30 }], T0 + 100_000)
    expect((await b.take([{ budgets: [minute('m')], want: 1 }], T0 + 95_000))[0]!.granted).toBe(0)
    expect((await b.take([{ budgets: [minute('m')], want: 1 }], T0 + 162_000))[0]!.granted).toBe(1)
  })

  it('deletes budgets whose every slot has left the window', async () => {
    const b = createRateBudgets(db)
    await b.take([{ budgets: [minute('old')], want: 1 }], T0)
    await b.take([{ budgets: [minute('recent')], want: 1 }], T0 + 61_000)
    // The first take of a new instance prunes; a later one within the minute does not.
    await createRateBudgets(db).take([{ budgets: [minute('other')], want: 1 }], T0 + 63_000)
    const keys = (await db.query<{ key: string }>('select key from rate_buckets order by key')).map((r) => r.key)
    expect(keys).toEqual(['other@60000/2000', 'recent@60000/2000'])
  })

  // ---- under concurrency ---------------------------------------------------------------------

  it('100 concurrent takes of 1 against a limit of 30 grant exactly 30', async () => {
    const b = createRateBudgets(db)
    const grants = await Promise.all(Array.from({ length: 100 }, () => b.take([{ budgets: [minute('hot'), hour('hot', 1000)], want: 1 }], T0)))
    expect(grants.filter((g) => g[0]!.granted === 1)).toHaveLength(30)
    expect(grants.filter((g) => g[0]!.granted === 0 && g[0]!.freeAt === T0 + 62_000)).toHaveLength(70)
    const [row] = await db.query<{ used: number[] }>("select used from rate_buckets where key like 'hot@60000/%'")
    expect(row!.used.reduce((a, n) => a + n, 0)).toBe(30)
  })

  it('concurrent batches over the same members in different orders neither deadlock nor overspend', async () => {
    const b = createRateBudgets(db)
    const names = Array.from({ length: 20 }, (_, i) => `m${i}`)
    const batch = (order: string[]) => b.take(order.map((n) => ({ budgets: [minute(n, 10)], want: 3 })), T0)
    const results = await Promise.all(Array.from({ length: 12 }, (_, k) => batch(k % 2 ? names : [...names].reverse())))
    for (let i = 0; i < names.length; i++) {
      const granted = results.reduce((a, r, k) => a + r[k % 2 ? i : names.length - 1 - i]!.granted, 0)
      expect(granted).toBe(10)
    }
  })
})

// Only PostgreSQL has two connections that can wait for each other.
describe.skipIf(!TEST_DATABASE_URL && !REQUIRE_ALL)('rate_take under two connections [PostgreSQL]', () => {
  it('a prune never holds a key another take is waiting for (no deadlock)', async () => {
    const db = await postgresTestDb(TEST_DATABASE_URL!)
    try {
      // Two budgets whose every slot has left the window: a prune would take them.
      await db.query(`insert into rate_buckets (key, slot_ms, head, used, expires_at) values ('a@60000/2000', 2000, 1, '{1}', 1), ('b@60000/2000', 2000, 1, '{1}', 1)`)
      const take = (keys: string[], prune: boolean) =>
        db.query('select * from rate_take($1, $2, $3, $4, $5, $6, $7, $8)', [T0, keys, keys.map(() => 1), keys.map(() => 60_000), keys.map(() => 2_000), keys.map(() => 30), [1], prune])
      // Y is mid-take: it holds `a`, the first of its keys in order, and is about to lock `b`.
      const y = await db.transaction(async (tx) => {
        await tx.query(`select 1 from rate_buckets where key = 'a@60000/2000' for update`)
        // X takes `a` with a prune due: it must not lock `b` while it waits for `a`.
        const x = take(['a@60000/2000'], true)
        await new Promise((r) => setTimeout(r, 300))
        // Y locks `b` (waiting forever, or for PostgreSQL's deadlock check, if X had pruned it first).
        return { rows: await tx.query(`select rate_take($1, '{b@60000/2000}', '{1}', '{60000}', '{2000}', '{30}', '{1}', false)`, [T0]), x }
      })
      expect(y.rows).toHaveLength(1)
      expect(await y.x).toEqual([{ grp: 1, granted: 1, free_at: null }])
    } finally {
      await db.close()
    }
  })
})
