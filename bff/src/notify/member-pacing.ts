import type { Budget, RateBudgets } from '../rate/budget'

// WeCom silently DROPS app messages beyond 30 per minute or 1000 per hour from one app to one
// member: the call answers ok (https://developer.work.weixin.qq.com/document/path/90454).
// Holding rows back here is the only way not to lose them. The counts are
// shared through the database, so every instance draws from the same 30.

export interface MemberLimits {
  perMinute: number
  perHour: number
}

export const WECOM_MEMBER_LIMITS: Readonly<MemberLimits> = Object.freeze({ perMinute: 30, perHour: 1000 })

/**
 * A slot taken for a batch is used within this long, or taken again: a unit is counted from when
 * it was taken, and WeCom counts from when the message arrives.
 */
export const HOLD_MS = 5_000
/** Our clock against WeCom's (network jitter), plus a held slot's age: each window counts this much longer. */
const MARGIN_MS = 1_000 + HOLD_MS

export function memberBudgets(userid: string, limits: MemberLimits): Budget[] {
  // WeCom lower-cases userids; one member is one budget however a row spells them.
  const name = `msg:${userid.toLowerCase()}`
  return [
    { name, windowMs: 60_000 + MARGIN_MS, slotMs: 2_000, limit: limits.perMinute },
    { name, windowMs: 3_600_000 + MARGIN_MS, slotMs: 120_000, limit: limits.perHour },
  ]
}

/** Per message: `{ at }` = may be sent, slot taken at `at` (ms); `{ untilMs }` = hold it back until then. */
export type Slot = { at: number } | { untilMs: number }

export class MemberPacer {
  constructor(
    private readonly budgets: RateBudgets,
    private readonly limits: MemberLimits = WECOM_MEMBER_LIMITS,
  ) {}

  /**
   * Slots for one message to each of `userids` (a member may appear several times), in one
   * database round trip. A member's first messages in the list get the slots there are. `whole`
   * (one call to all of them): every one gets a slot, or none is taken and all wait until the
   * last of the members short of one has it.
   */
  async reserve(userids: readonly string[], nowMs: number, opts: { whole?: boolean } = {}): Promise<Slot[]> {
    const byMember = new Map<string, number[]>()
    userids.forEach((u, i) => {
      const key = u.toLowerCase()
      const list = byMember.get(key)
      if (list) list.push(i)
      else byMember.set(key, [i])
    })
    const members = [...byMember.keys()]
    const grants = await this.budgets.take(
      members.map((m) => ({ budgets: memberBudgets(m, this.limits), want: byMember.get(m)!.length })),
      nowMs,
      { whole: opts.whole },
    )
    if (opts.whole && grants.some((g, k) => g.granted < byMember.get(members[k]!)!.length)) {
      // Nothing was taken; only the members short of a slot say when they have one.
      const frees = grants.flatMap((g) => (g.freeAt === undefined ? [] : [g.freeAt]))
      const untilMs = frees.length ? Math.max(...frees) : nowMs + 60_000
      return userids.map(() => ({ untilMs }))
    }
    const out: Slot[] = new Array(userids.length)
    members.forEach((m, k) => {
      const { granted, freeAt } = grants[k]!
      byMember.get(m)!.forEach((i, n) => (out[i] = n < granted ? { at: nowMs } : { untilMs: freeAt ?? nowMs + 60_000 }))
    })
    return out
  }
}
