import type { Db } from '../db'

/**
 * One budget: at most `limit` units in any sliding `windowMs` (WeCom does not say where its
 * minute starts, so none is assumed). Counted in slots of `slotMs`, aligned to the Unix epoch so
 * that every instance agrees; a unit stays counted until its whole slot is `windowMs` old, so the
 * budget runs up to one slot slower than the limit allows.
 */
export interface Budget {
  /** Names the budget, e.g. `msg:lisi`; the window and slot are appended to make the stored key. */
  name: string
  windowMs: number
  slotMs: number
  limit: number
}

/** Units wanted from every budget listed at once (a member's minute and hour, say). */
export interface TakeRequest {
  budgets: readonly Budget[]
  want: number
}

export interface Grant {
  /** 0 … want: as many as every budget could spare, taken from each. */
  granted: number
  /** Set when granted < want: when (ms) the budgets hold enough for the rest. */
  freeAt?: number
}

export interface TakeOptions {
  /**
   * All or nothing: if any request would get less than it wants, no request takes anything (the
   * short ones still get `freeAt`). For units that are only of use together, such as one call to
   * many members.
   */
  whole?: boolean
}

export interface RateBudgets {
  /** Takes from the shared budgets: one database round trip for the whole list. */
  take(requests: readonly TakeRequest[], nowMs: number, opts?: TakeOptions): Promise<Grant[]>
}

/** Expired rows are deleted by the first take after this long (ms) since the last prune. */
const PRUNE_EVERY_MS = 60_000

/**
 * Budgets shared through the database (migrations 011 and 032, `rate_take`): every instance on it draws
 * from the same counts, atomically, so N instances together stay within one limit. Works the same
 * on PGlite (one process) and PostgreSQL (many). Takes run on their own, never inside a caller's
 * transaction (hence a Db, not a Tx): they commit at once, with no durable wait, so that other
 * instances see them and the caller's rows keep their own durable commit.
 */
export function createRateBudgets(db: Db): RateBudgets {
  let lastPrune = Number.NEGATIVE_INFINITY
  return {
    async take(requests, nowMs, opts = {}) {
      if (!requests.length) return []
      const keys: string[] = []
      const groups: number[] = []
      const windows: number[] = []
      const slots: number[] = []
      const limits: number[] = []
      const seen = new Set<string>()
      requests.forEach((r, g) => {
        for (const b of r.budgets) {
          const key = `${b.name}@${b.windowMs}/${b.slotMs}`
          // The statement locks each row once: two requests on one budget must be merged by the caller.
          if (seen.has(key)) throw new Error(`rate budget ${key} named twice in one take`)
          seen.add(key)
          keys.push(key)
          groups.push(g + 1)
          windows.push(b.windowMs)
          slots.push(b.slotMs)
          limits.push(b.limit)
        }
      })
      const prune = nowMs - lastPrune >= PRUNE_EVERY_MS
      if (prune) lastPrune = nowMs
      const rows = await db.query<{ grp: number; granted: number; free_at: string | number | null }>(
        'select grp, granted, free_at::float8 as free_at from rate_take($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [Math.floor(nowMs), keys, groups, windows, slots, limits, requests.map((r) => Math.max(0, Math.floor(r.want))), prune, opts.whole === true],
      )
      const out: Grant[] = requests.map(() => ({ granted: 0 }))
      for (const row of rows) {
        const grant: Grant = { granted: Number(row.granted) }
        if (row.free_at !== null) grant.freeAt = Number(row.free_at)
        out[Number(row.grp) - 1] = grant
      }
      return out
    },
  }
}
