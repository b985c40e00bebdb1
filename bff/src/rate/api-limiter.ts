import type { Budget, RateBudgets } from './budget'

/** Waits until one more call of `api` fits WeCom's limits. */
export interface ApiLimiter {
  take(api: string): Promise<void>
  /** Resolves once no take from the shared budget is in flight (one made ahead included). */
  settled(): Promise<void>
}

/**
 * WeCom: each corp may call one API 10,000 times a minute and 150,000 times an hour
 * (https://developer.work.weixin.qq.com/document/path/90454). We keep 10 % for calls that do not
 * go through a limiter (sign-ins, callbacks' re-reads).
 */
export const WECOM_API_LIMITS: Readonly<ApiLimits> = Object.freeze({ perMinute: 9_000, perHour: 135_000 })

/** APIs with a tighter documented limit (600 a minute for getapprovaldata; its successor assumed alike). */
const API_MINUTE_LIMITS: Readonly<Record<string, number>> = { '/cgi-bin/oa/getapprovalinfo': 540 }

/**
 * Units are taken at least CHUNK at a time and kept at most HOLD_MS, so a call costs no round trip
 * of its own. A caller that spent a whole take within the hold (a sync reading pages as fast as
 * WeCom answers) gets twice as many next time, up to MAX_CHUNK: a 100k-member sync makes ~20 takes
 * instead of ~300, each a database round trip (measured: 3-9 ms of PGlite's thread each). Such a
 * caller takes its next units once three quarters are spent, so it does not wait for the round
 * trip; the price is one unused take (≤ MAX_CHUNK units, dropped after the hold) when it stops.
 */
const CHUNK = 16
const MAX_CHUNK = 256
const HOLD_MS = 1_000
/** Our clock against WeCom's, plus a held unit's age: each window is counted this much longer. */
const MARGIN_MS = 1_000 + HOLD_MS

export interface ApiLimits {
  perMinute: number
  perHour: number
}

export function apiBudgets(api: string, limits: ApiLimits = WECOM_API_LIMITS): Budget[] {
  const name = `api:${api}`
  return [
    { name, windowMs: 60_000 + MARGIN_MS, slotMs: 2_000, limit: Math.min(limits.perMinute, API_MINUTE_LIMITS[api] ?? Number.POSITIVE_INFINITY) },
    { name, windowMs: 3_600_000 + MARGIN_MS, slotMs: 120_000, limit: limits.perHour },
  ]
}

export interface ApiLimiterOptions {
  budgets: RateBudgets
  now: () => number
  sleep?: (ms: number) => Promise<void>
  /** Default WECOM_API_LIMITS (tests use small ones). */
  limits?: ApiLimits
}

interface Held {
  /** Units left. */
  left: number
  /** Units the take asked for. */
  want: number
  /** When they were taken (ms); used before `taken + HOLD_MS` or dropped. */
  taken: number
}

interface ApiState {
  held: Held
  /** Taken ahead while `held` ran low: a busy caller never waits for a round trip. */
  next?: Held
  /** Nothing to spare before this (ms). */
  waitUntil: number
  refill?: Promise<void>
}

/**
 * The per-API limits, shared by every instance through the database: a call takes a unit from
 * its API's minute and hour budgets, or waits for the window to let one go.
 */
export function createApiLimiter(o: ApiLimiterOptions): ApiLimiter {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const states = new Map<string, ApiState>()

  async function refill(api: string, st: ApiState, ahead: boolean): Promise<void> {
    const t = o.now()
    // All of the last take spent (or, ahead, most of it) before its hold ran out: demand is at
    // least that per second.
    const h = st.held
    const busy = ahead || (h.left === 0 && t < h.taken + HOLD_MS)
    const want = busy ? Math.min(MAX_CHUNK, h.want * 2) : CHUNK
    const [grant] = await o.budgets.take([{ budgets: apiBudgets(api, o.limits), want }], t)
    const got: Held = { left: grant?.granted ?? 0, want, taken: t }
    if (ahead) st.next = got
    else st.held = got
    st.waitUntil = got.left > 0 ? 0 : (grant?.freeAt ?? t + 1_000)
  }

  /** One refill at a time per API: the calls waiting share its units. */
  function startRefill(api: string, st: ApiState, ahead: boolean): Promise<void> {
    return (st.refill ??= refill(api, st, ahead).finally(() => (st.refill = undefined)))
  }

  return {
    async settled() {
      await Promise.all([...states.values()].map((st) => st.refill?.catch(() => {})))
    },
    async take(api) {
      let st = states.get(api)
      if (!st) states.set(api, (st = { held: { left: 0, want: CHUNK, taken: Number.NEGATIVE_INFINITY }, waitUntil: 0 }))
      for (;;) {
        const t = o.now()
        const h = st.held
        if (h.left > 0 && t < h.taken + HOLD_MS) {
          h.left -= 1
          // Three quarters spent within half the hold: take the next units now, so the calls
          // after these do not wait for the database (a sync reading 5,000 pages).
          if (!st.refill && !st.next && h.left <= h.want / 4 && t < h.taken + HOLD_MS / 2) {
            // Not awaited: a failure here is met again, and thrown, by the take that needs it.
            startRefill(api, st, true).catch(() => {})
          }
          return
        }
        if (st.next && t < st.next.taken + HOLD_MS && st.next.left > 0) {
          st.held = st.next
          st.next = undefined
          continue
        }
        st.next = undefined
        if (t < st.waitUntil) {
          await sleep(st.waitUntil - t)
          continue
        }
        await startRefill(api, st, false)
      }
    },
  }
}
