import { translate, type Lang } from '../i18n/use-i18n'
import { corpDay, inCorpZone } from './format'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** Pending todos due within this are shown as "soon". */
export const DUE_SOON_MS = DAY

const locale = (lang: Lang) => (lang === 'en' ? 'en-US' : 'zh-CN')
const parse = (iso: string) => {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}
/** Calendar days from `now` to `d` in the corp's zone: -1 yesterday, 0 today, 1 tomorrow. */
const dayOffset = (d: Date, now: Date) => corpDay(d) - corpDay(now)
const yearOf = (d: Date) => new Intl.DateTimeFormat('en-US', { year: 'numeric', ...inCorpZone() }).format(d)

function dateOnly(d: Date, lang: Lang, now: Date): string {
  const opts: Intl.DateTimeFormatOptions =
    yearOf(d) === yearOf(now) ? { month: 'short', day: 'numeric' } : { year: 'numeric', month: 'short', day: 'numeric' }
  return new Intl.DateTimeFormat(locale(lang), { ...opts, ...inCorpZone() }).format(d)
}

/** "刚刚", "5分钟前", "3小时前", "昨天", "3天前", then the date ("11月2日"). */
export function relativeTime(iso: string, lang: Lang, now = new Date()): string {
  const d = parse(iso)
  if (!d) return iso
  const diff = d.getTime() - now.getTime()
  const abs = Math.abs(diff)
  const rtf = new Intl.RelativeTimeFormat(locale(lang), { numeric: 'auto' })
  if (abs < MINUTE) return translate(lang, 'time.justNow')
  if (abs < HOUR) return rtf.format(Math.round(diff / MINUTE), 'minute')
  if (abs < 12 * HOUR) return rtf.format(Math.round(diff / HOUR), 'hour')
  const days = dayOffset(d, now)
  if (days === 0) return rtf.format(Math.round(diff / HOUR), 'hour')
  if (Math.abs(days) <= 6) return rtf.format(days, 'day')
  return dateOnly(d, lang, now)
}

/** "今天 18:00", "明天 09:30", "昨天 18:00", "11月25日 18:00". */
export function dayAndTime(iso: string, lang: Lang, now = new Date()): string {
  const d = parse(iso)
  if (!d) return iso
  const time = new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...inCorpZone() }).format(d)
  const days = dayOffset(d, now)
  if (days === 0) return translate(lang, 'time.today', { time })
  if (days === 1) return translate(lang, 'time.tomorrow', { time })
  if (days === -1) return translate(lang, 'time.yesterday', { time })
  return `${dateOnly(d, lang, now)} ${time}`
}

export type DueTone = 'overdue' | 'soon' | 'later'

export interface DueInfo {
  tone: DueTone
  /** "明天 18:00 截止" / "已逾期 · 昨天 18:00". */
  text: string
}

/** How a pending todo's due time reads; null when it has none (or it is not a date). */
export function dueInfo(dueAt: string | null, lang: Lang, now = new Date()): DueInfo | null {
  const d = dueAt ? parse(dueAt) : null
  if (!d || !dueAt) return null
  const left = d.getTime() - now.getTime()
  const when = dayAndTime(dueAt, lang, now)
  if (left < 0) return { tone: 'overdue', text: translate(lang, 'todos.overdue', { when }) }
  return { tone: left <= DUE_SOON_MS ? 'soon' : 'later', text: translate(lang, 'todos.due', { when }) }
}
