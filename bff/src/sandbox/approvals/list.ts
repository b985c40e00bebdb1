import { approvalsInOrder } from './store'
import { findTemplate } from './templates'
import type { Approval } from './types'
import { findMember } from '../directory/org-index'
import type { SandboxState } from '../state'
import { canSeeMember, visibilityFor } from '../directory/visibility'

/**
 * The longest starttime–endtime span getapprovalinfo accepts. WeCom's current page does not
 * state it (https://developer.work.weixin.qq.com/document/path/91816); 31 days follows the doc's note and admits any calendar
 * month, where the old getapprovaldata's 30 days would not.
 */
export const MAX_SPAN_S = 31 * 24 * 3600
export const MAX_SIZE = 100

const FILTER_KEYS = ['template_id', 'creator', 'department', 'sp_status', 'record_type'] as const
type FilterKey = (typeof FILTER_KEYS)[number]

export interface ListQuery {
  start: number
  end: number
  size: number
  /** Values per key: same key OR, different keys AND. */
  filters: Map<FilterKey, string[]>
  /** Resume after this (apply_time, sp_no): from new_cursor. */
  after: { time: number; spNo: string } | undefined
  /** Legacy integer `cursor`: matches to skip; the answer then carries `next_cursor` too. */
  offset: number | undefined
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errcode: number; errmsg: string }

const bad = (errmsg: string, errcode = 301025): Parsed<never> => ({ ok: false, errcode, errmsg })

/** Unix seconds as a number or a numeric string (WeCom's sample sends strings). */
function unixSeconds(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : v
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined
}

export function parseListQuery(body: Record<string, unknown>): Parsed<ListQuery> {
  const start = unixSeconds(body.starttime)
  const end = unixSeconds(body.endtime)
  if (start === undefined || end === undefined || end < start) return bad('invalid starttime or endtime')
  if (end - start > MAX_SPAN_S) return bad('invalid starttime or endtime: the span may not exceed 31 days')
  const size = body.size ?? MAX_SIZE
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_SIZE) return bad('invalid size: 1–100')
  const filters = parseFilters(body.filters)
  if (!filters.ok) return filters
  const cursor = body.new_cursor ?? ''
  let after: ListQuery['after']
  if (cursor !== '') {
    after = typeof cursor === 'string' ? decodeCursor(cursor) : undefined
    if (!after) return bad('invalid new_cursor', 50100)
  }
  let offset: number | undefined
  if (body.new_cursor === undefined && body.cursor !== undefined) {
    if (typeof body.cursor !== 'number' || !Number.isInteger(body.cursor) || body.cursor < 0) return bad('invalid cursor', 50100)
    offset = body.cursor
  }
  return { ok: true, value: { start, end, size, filters: filters.value, after, offset } }
}

function parseFilters(raw: unknown): Parsed<Map<FilterKey, string[]>> {
  const filters = new Map<FilterKey, string[]>()
  if (raw === undefined) return { ok: true, value: filters }
  if (!Array.isArray(raw)) return bad('invalid filters')
  for (const f of raw) {
    const { key, value } = (f ?? {}) as { key?: unknown; value?: unknown }
    if (typeof key !== 'string' || !(FILTER_KEYS as readonly string[]).includes(key)) return bad(`invalid filters key ${String(key)}`)
    if (typeof value !== 'string' && typeof value !== 'number') return bad(`invalid filters value for ${key}`)
    const values = filters.get(key as FilterKey) ?? []
    // https://developer.work.weixin.qq.com/document/path/91816: only department may repeat.
    if (values.length > 0 && key !== 'department') return bad(`invalid filters: ${key} may appear once`)
    filters.set(key as FilterKey, [...values, String(value)])
  }
  return { ok: true, value: filters }
}

function matches(a: Approval, key: FilterKey, value: string): boolean {
  switch (key) {
    case 'template_id':
      return a.template_id === value
    case 'creator':
      return a.applyer.userid === value.toLowerCase()
    case 'department':
      return a.applyer.partyid === value
    case 'sp_status':
      return String(a.sp_status) === value
    case 'record_type':
      return String(findTemplate(a.template_id)?.record_type ?? 0) === value
  }
}

/**
 * One page of sp_no in (apply_time, sp_no) order. Self-built apps only see forms whose applicant
 * is in the app's visible range (https://developer.work.weixin.qq.com/document/path/91816).
 */
export function listPage(s: SandboxState, q: ListQuery): { spNos: string[]; next: string; nextOffset: number } {
  const visible = visibilityFor(s, 'agent')
  const page: Approval[] = []
  let more = false
  let skip = q.offset ?? 0
  for (const a of approvalsInOrder(s.approvals)) {
    if (a.apply_time < q.start || a.apply_time > q.end) continue
    if (q.after && (a.apply_time < q.after.time || (a.apply_time === q.after.time && a.sp_no <= q.after.spNo))) continue
    const member = findMember(s.directory, a.applyer.userid)
    if (!member || !canSeeMember(visible, member)) continue
    if (![...q.filters].every(([key, values]) => values.some((v) => matches(a, key, v)))) continue
    if (skip > 0) {
      skip -= 1
      continue
    }
    if (page.length === q.size) {
      more = true
      break
    }
    page.push(a)
  }
  const last = page[page.length - 1]
  return { spNos: page.map((a) => a.sp_no), next: more && last ? encodeCursor(last) : '', nextOffset: more ? (q.offset ?? 0) + page.length : 0 }
}

/** Opaque to clients, as WeCom's is. */
function encodeCursor(a: Approval): string {
  return Buffer.from(`sbxoa1:${a.apply_time}:${a.sp_no}`).toString('base64url')
}

function decodeCursor(cursor: string): ListQuery['after'] {
  const m = /^sbxoa1:(\d{1,10}):(\d{1,20})$/.exec(Buffer.from(cursor, 'base64url').toString())
  return m ? { time: Number(m[1]), spNo: m[2]! } : undefined
}
