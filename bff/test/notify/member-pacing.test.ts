import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { MemberPacer } from '../../src/notify/member-pacing'
import { createRateBudgets } from '../../src/rate/budget'
import { describeEachDb } from '../helpers/test-db'

const T0 = Date.UTC(2026, 10, 2, 1, 0, 0)
const pacer = (db: Db, limits = { perMinute: 30, perHour: 1000 }) => new MemberPacer(createRateBudgets(db), limits)

describeEachDb('per-member pacing', (open) => {
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

  it('holds back a member\'s 31st message in a minute until the window lets the first ones go', async () => {
    const p = pacer(db)
    const slots = await p.reserve([...Array.from({ length: 20 }, () => 'LiSi'), 'zhangsan', ...Array.from({ length: 15 }, () => 'lisi')], T0)
    const lisi = slots.filter((_, i) => i !== 20)
    expect(lisi.slice(0, 30)).toEqual(Array.from({ length: 30 }, () => ({ at: T0 })))
    // Counted for 60 s + 6 s (clock margin and a held slot's age), from the end of their 2 s slot.
    expect(lisi.slice(30)).toEqual(Array.from({ length: 5 }, () => ({ untilMs: T0 + 68_000 })))
    expect(slots[20]).toEqual({ at: T0 })
    expect(await p.reserve(['lisi'], T0 + 67_999)).toEqual([{ untilMs: T0 + 68_000 }])
    expect(await p.reserve(['lisi'], T0 + 68_000)).toEqual([{ at: T0 + 68_000 }])
  })

  it('holds back past 1000 an hour (here 3) although the minute has room', async () => {
    const p = pacer(db, { perMinute: 1000, perHour: 3 })
    for (const t of [0, 120_000, 240_000]) expect(await p.reserve(['a'], T0 + t)).toEqual([{ at: T0 + t }])
    expect(await p.reserve(['a'], T0 + 400_000)).toEqual([{ untilMs: T0 + 120_000 + 3_606_000 }])
  })

  it('two instances share one member\'s 30: what one sent, the other cannot', async () => {
    const a = pacer(db)
    const b = pacer(db)
    expect((await a.reserve(Array.from({ length: 20 }, () => 'lisi'), T0)).filter((s) => 'at' in s)).toHaveLength(20)
    const fromB = await b.reserve(Array.from({ length: 20 }, () => 'lisi'), T0 + 1_000)
    expect(fromB.filter((s) => 'at' in s)).toHaveLength(10)
    expect(fromB.slice(10)).toEqual(Array.from({ length: 10 }, () => ({ untilMs: T0 + 68_000 })))
  })
})
