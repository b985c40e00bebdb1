/**
 * The one way times are written into text for people (cards, todo summaries, doctor results,
 * message texts): in the corp's time zone (CORP_TIME_ZONE, or the console's 时区 setting), never
 * the server's. Machine fields (API JSON, logs) stay ISO 8601 in UTC.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

/** An IANA zone name Intl knows, e.g. Asia/Shanghai or UTC; false for anything else. */
export function validTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

const cache = new Map<string, Intl.DateTimeFormat>()
function parts(at: Date, zone: string, seconds: boolean): Record<string, string> {
  const key = `${zone}|${seconds}`
  let f = cache.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    })
    cache.set(key, f)
  }
  return Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]))
}

export interface CorpTimeOptions {
  /** Add ":ss". */
  seconds?: boolean
  /** Add the zone's offset, e.g. "GMT+8": for texts read where the zone is not obvious (the doctor). */
  offset?: boolean
}

/** "2026-12-04 10:00" in `zone`. */
export function formatCorpTime(at: Date, zone: string, o: CorpTimeOptions = {}): string {
  const p = parts(at, zone, !!o.seconds)
  const text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${o.seconds ? `:${p.second}` : ''}`
  return o.offset ? `${text} ${p.timeZoneName}` : text
}
