import type { MemberRecord } from './member-store'

/** A member's place in a list: WeCom's `order` in that department (larger first), name, userid. */
export interface PageKey {
  order: number
  name: string
  userid: string
}

const collator = new Intl.Collator('zh-CN')

/** The key of `m` in department `dep` (the other-members list has no order: 0). */
export function keyIn(m: MemberRecord, dep?: number): PageKey {
  const order = dep === undefined ? 0 : (m.departments.find((x) => x.departmentId === dep)?.order ?? 0)
  return { order, name: m.name, userid: m.userid.toLowerCase() }
}

/** A total order (userid breaks ties), so that a key names one place in any version of the list. */
export function compareKeys(a: PageKey, b: PageKey): number {
  return b.order - a.order || collator.compare(a.name, b.name) || (a.userid < b.userid ? -1 : a.userid > b.userid ? 1 : 0)
}

export function encodeCursor(k: PageKey): string {
  return Buffer.from(JSON.stringify([k.order, k.name, k.userid])).toString('base64url')
}

/** undefined for anything `encodeCursor` did not make. */
export function decodeCursor(raw: string): PageKey | undefined {
  if (raw.length > 512 || !/^[A-Za-z0-9_-]+$/.test(raw)) return undefined
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (!Array.isArray(v) || v.length !== 3) return undefined
    const [order, name, userid] = v as unknown[]
    if (typeof order !== 'number' || !Number.isFinite(order) || typeof name !== 'string' || typeof userid !== 'string') return undefined
    return { order, name, userid }
  } catch {
    return undefined
  }
}

/**
 * Keyset paging: the `limit` members after `after` in `list` (sorted by `compareKeys`). A sync
 * between two pages moves nobody else's place, so nobody is skipped or listed twice — an offset
 * would shift by everyone added or removed before it.
 */
export function pageAfter(list: readonly MemberRecord[], keyOf: (m: MemberRecord) => PageKey, after: PageKey | undefined, limit: number): { items: MemberRecord[]; next: PageKey | null } {
  let lo = 0
  if (after) {
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareKeys(keyOf(list[mid]!), after) <= 0) lo = mid + 1
      else hi = mid
    }
  }
  const items = list.slice(lo, lo + limit)
  const more = lo + limit < list.length
  return { items, next: more && items.length ? keyOf(items[items.length - 1]!) : null }
}
