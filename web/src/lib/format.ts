import type { Lang } from '../i18n/use-i18n'
import type { MessageKey } from '../i18n/messages'

const locale = (lang: Lang) => (lang === 'en' ? 'en-US' : 'zh-CN')

/** The corp's zone from /api/app (the admin console's 时区); until known, or if unknown here, the device's. */
let corpZone: string | undefined
export function setCorpTimeZone(zone: string | undefined): void {
  try {
    corpZone = zone ? (new Intl.DateTimeFormat('en-US', { timeZone: zone }), zone) : undefined
  } catch {
    corpZone = undefined
  }
}

/** Formatting options that put a time in the corp's zone (none until it is known: the device's). */
export const inCorpZone = (): Intl.DateTimeFormatOptions => (corpZone ? { timeZone: corpZone } : {})

const DAY_MS = 86_400_000
/** The calendar day `d` falls on in the corp's zone, as a day count: days apart = difference. */
export function corpDay(d: Date): number {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'numeric', day: 'numeric', ...inCorpZone() }).formatToParts(d).map((x) => [x.type, x.value]))
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) / DAY_MS
}

/** "2026年11月21日 09:30" / "Nov 21, 2026, 9:30 AM" in the corp's zone; the raw value if it is not a date. */
export function formatDateTime(iso: string, lang: Lang): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short', ...inCorpZone() }).format(d)
}

/** Time only when it is today (in the corp's zone), else date and time: short enough for a cell value. */
export function formatShortDateTime(iso: string, lang: Lang, now = new Date()): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const sameDay = corpDay(d) === corpDay(now)
  const opts: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
  return new Intl.DateTimeFormat(locale(lang), { ...opts, ...inCorpZone() }).format(d)
}

/** "11月21日 星期五" / "Friday, November 21". */
export function formatToday(lang: Lang, now = new Date()): string {
  return new Intl.DateTimeFormat(locale(lang), { month: 'long', day: 'numeric', weekday: 'long' }).format(now)
}

export function greetingKey(hour: number): MessageKey {
  if (hour < 5) return 'greeting.night'
  if (hour < 11) return 'greeting.morning'
  if (hour < 13) return 'greeting.noon'
  if (hour < 18) return 'greeting.afternoon'
  return 'greeting.evening'
}
