import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { createApiLimiter } from '../../src/rate/api-limiter'
import { createRateBudgets, type RateBudgets } from '../../src/rate/budget'
import { describeEachDb } from '../helpers/test-db'

const T0 = Date.UTC(2026, 10, 2, 1, 0, 0)
const API = '/cgi-bin/user/get'

/** Most calls in any `windowMs` starting at a call. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - windowMs) j++
    best = Math.max(best, i - j + 1)
  }
  return best
}

describeEachDb('per-API limiter shared through the database', (open) => {
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

  // A take made ahead lands before the test ends: never in the next test's counts.
  const made: ReturnType<typeof createApiLimiter>[] = []
  afterEach(() => Promise.all(made.splice(0).map((l) => l.settled())))

  /** Two instances (limiters with their own state) on one clock that sleeping moves on. */
  function twoInstances(perMinute: number) {
    let now = T0
    const sleeps: number[] = []
    const sleep = async (ms: number) => {
      sleeps.push(ms)
      now += ms
    }
    const make = () => {
      const l = createApiLimiter({ budgets: createRateBudgets(db), now: () => now, sleep, limits: { perMinute, perHour: 100_000 } })
      made.push(l)
      return l
    }
    return { a: make(), b: make(), now: () => now, sleeps, advance: (ms: number) => void (now += ms) }
  }

  it('one instance\'s calls count against the other\'s: together they stay within the minute\'s limit', async () => {
    const t = twoInstances(40)
    const calls: number[] = []
    const call = async (l: ReturnType<typeof createApiLimiter>) => {
      await l.take(API)
      calls.push(t.now())
    }
    for (let i = 0; i < 25; i++) await call(t.a)
    for (let i = 0; i < 25; i++) await call(t.b)
    // A took 16 units, spent them at once, so asked for 32 and got the 24 left of the 40: B found
    // none and waited for the window to let go of the first slot: 2 s slot + 60 s + 2 s margin.
    // Without sharing, B's 25 would all go at once.
    expect(calls.filter((c) => c === T0)).toHaveLength(25)
    expect(calls.slice(25)).toEqual(Array.from({ length: 25 }, () => T0 + 64_000))
    expect(busiestWindow(calls, 60_000)).toBeLessThanOrEqual(40)
  })

  it('concurrent calls on both instances never exceed the limit in any minute', async () => {
    const t = twoInstances(30)
    const calls: number[] = []
    const lane = async (l: ReturnType<typeof createApiLimiter>) => {
      for (let i = 0; i < 20; i++) {
        await l.take(API)
        calls.push(t.now())
      }
    }
    await Promise.all([lane(t.a), lane(t.a), lane(t.b), lane(t.b)])
    expect(calls).toHaveLength(80)
    expect(busiestWindow(calls, 60_000)).toBeLessThanOrEqual(30)
  })

  it('units held by an instance are dropped after a second, not used against a later window', async () => {
    const t = twoInstances(40)
    await t.a.take(API) // takes 16, uses 1
    t.advance(1_500)
    await t.a.take(API) // the 15 held are stale: a new take
    const [row] = await db.query<{ used: number[] }>("select used from rate_buckets where key like 'api:/cgi-bin/user/get@62000/%'")
    expect(row!.used.reduce((a, n) => a + n, 0)).toBe(32)
  })

  it('getapprovalinfo keeps to its own 600 a minute (540 with our margin)', async () => {
    const t = twoInstances(9_000)
    const calls: number[] = []
    for (let i = 0; i < 560; i++) {
      await t.a.take('/cgi-bin/oa/getapprovalinfo')
      calls.push(t.now())
    }
    expect(calls.filter((c) => c === T0)).toHaveLength(540)
    expect(busiestWindow(calls, 60_000)).toBe(540)
  })

  it('settled() waits for a take made ahead of need, so none outlives its caller', async () => {
    const t = twoInstances(9_000)
    const real = createRateBudgets(db)
    const release: (() => void)[] = []
    const gated: RateBudgets = { take: (r, n) => new Promise<void>((go) => release.push(go)).then(() => real.take(r, n)) }
    const limiter = createApiLimiter({ budgets: gated, now: t.now, sleep: async () => {}, limits: { perMinute: 9_000, perHour: 100_000 } })
    const first = limiter.take(API)
    await new Promise((r) => setImmediate(r))
    release.shift()!()
    await first
    // 12 of the 16 spent within the hold: the next take starts, ahead of need.
    for (let i = 0; i < 11; i++) await limiter.take(API)
    expect(release).toHaveLength(1)
    let settled = false
    const done = limiter.settled().then(() => (settled = true))
    await new Promise((r) => setTimeout(r, 20))
    expect(settled).toBe(false)
    release.shift()!()
    await done
    const [row] = await db.query<{ used: number[] }>("select used from rate_buckets where key like 'api:/cgi-bin/user/get@62000/%'")
    expect(row!.used.reduce((a, n) => a + n, 0)).toBe(16 + 32)
  })

  it('a caller that spends its units within the hold takes more at a time (16, 32 … 256), ahead of need, and 16 again once it slows', async () => {
    const t = twoInstances(9_000)
    // Each take from the database waits until the test lets it go: a call that needs one shows.
    const real = createRateBudgets(db)
    let dbTakes = 0
    const release: (() => void)[] = []
    const inFlight: Promise<unknown>[] = []
    const gated: RateBudgets = {
      take: (requests, nowMs) => {
        dbTakes += 1
        const p = new Promise<void>((r) => release.push(r)).then(() => real.take(requests, nowMs))
        inFlight.push(p)
        return p
      },
    }
    const limiter = createApiLimiter({ budgets: gated, now: t.now, sleep: async () => {}, limits: { perMinute: 9_000, perHour: 100_000 } })
    let waited = 0
    for (let i = 0; i < 1_000; i++) {
      let done = false
      const call = limiter.take('/cgi-bin/user/list').then(() => (done = true))
      await new Promise((r) => setImmediate(r))
      if (!done) waited += 1
      // Let every pending database take finish before the next call, as a round trip would.
      while (release.length) {
        release.splice(0).forEach((r) => r())
        await Promise.all(inFlight.splice(0))
        await new Promise((r) => setImmediate(r))
      }
      await call
    }
    // Only the very first call waited; each later take was made while a quarter of the last was left.
    expect(waited).toBe(1)
    const [row] = await db.query<{ used: number[] }>("select used from rate_buckets where key like 'api:/cgi-bin/user/list@62000/%'")
    // 16 + 32 + 64 + 128 + 256 × 4 = 1,264 units for 1,000 calls: eight round trips, not 63; the
    // last take, made ahead, goes unused and is dropped after the hold.
    expect(dbTakes).toBe(8)
    expect(row!.used.reduce((a, n) => a + n, 0)).toBe(1_264)
    t.advance(1_500)
    const last = limiter.take('/cgi-bin/user/list') // the held are stale; demand fell: a chunk of 16
    await new Promise((r) => setImmediate(r))
    release.splice(0).forEach((r) => r())
    await last
    const [after] = await db.query<{ used: number[] }>("select used from rate_buckets where key like 'api:/cgi-bin/user/list@62000/%'")
    expect(after!.used.reduce((a, n) => a + n, 0)).toBe(1_280)
  })
})
