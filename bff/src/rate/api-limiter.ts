import type { Budget, RateBudgets } from './budget'

/** Waits until one more call of `api` fits WeCom's limits. */
export interface ApiLimiter {
  take(api: string): Promise<void>
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
 * instead of ~300, each a database round trip (measured: 3-9 ms of PGlite's thread each).
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

interface ApiState {
  left: number
  /** Units the last take asked for. */
  want: number
  /** Held units are used before this (ms) or dropped. */
  until: number
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

  async function refill(api: string, st: ApiState): Promise<void> {
    const t = o.now()
    // All of the last take spent before its hold ran out: demand is at least that per second.
    const want = st.left === 0 && t < st.until ? Math.min(MAX_CHUNK, st.want * 2) : CHUNK
    const [grant] = await o.budgets.take([{ budgets: apiBudgets(api, o.limits), want }], t)
    st.want = want
    st.left = grant?.granted ?? 0
    st.until = t + HOLD_MS
    st.waitUntil = st.left > 0 ? 0 : (grant?.freeAt ?? t + 1_000)
  }

  return {
    async take(api) {
      let st = states.get(api)
      if (!st) states.set(api, (st = { left: 0, want: CHUNK, until: 0, waitUntil: 0 }))
      for (;;) {
        const t = o.now()
        if (st.left > 0 && t < st.until) {
          st.left -= 1
          return
        }
        if (t < st.waitUntil) {
          await sleep(st.waitUntil - t)
          continue
        }
        // One refill at a time per API: the calls waiting share its units.
        const state = st
        state.refill ??= refill(api, state).finally(() => (state.refill = undefined))
        await state.refill
      }
    },
  }
}
