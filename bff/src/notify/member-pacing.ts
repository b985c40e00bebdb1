// WeCom silently DROPS app messages beyond 30 per minute or 1000 per hour to one member
// (wecom-api.md §6, §10): the call answers ok. Holding rows back here is the only way not to
// lose them. Counted per process: with several instances each keeps its own count, so a member
// could get up to (instances × limit); one instance, the usual case, is exact.

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
/** Our clock and WeCom's differ by the network's jitter: count each window a second longer. */
const MARGIN_MS = 1_000

export interface MemberLimits {
  perMinute: number
  perHour: number
}

export const WECOM_MEMBER_LIMITS: Readonly<MemberLimits> = Object.freeze({ perMinute: 30, perHour: 1000 })

export class MemberPacer {
  private readonly sent = new Map<string, number[]>()

  constructor(private readonly limits: MemberLimits = WECOM_MEMBER_LIMITS) {}

  /** Takes a slot for `userid` now (undefined), or says when one frees up (nothing taken). */
  reserve(userid: string, nowMs: number): number | undefined {
    const key = userid.toLowerCase()
    const times = (this.sent.get(key) ?? []).filter((t) => nowMs - t < HOUR_MS + MARGIN_MS)
    const lastMinute = times.filter((t) => nowMs - t < MINUTE_MS + MARGIN_MS)
    const { perMinute, perHour } = this.limits
    let freeAt: number | undefined
    if (lastMinute.length >= perMinute) freeAt = lastMinute[lastMinute.length - perMinute]! + MINUTE_MS + MARGIN_MS
    else if (times.length >= perHour) freeAt = times[times.length - perHour]! + HOUR_MS + MARGIN_MS
    else times.push(nowMs)
    this.sent.set(key, times)
    return freeAt
  }

  /** Forgets members with nothing in the last hour, so the map does not grow with the directory. */
  prune(nowMs: number): void {
    for (const [key, times] of this.sent) if (!times.some((t) => nowMs - t < HOUR_MS + MARGIN_MS)) this.sent.delete(key)
  }
}
