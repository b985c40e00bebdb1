import type { MemberRecord } from './member-store'
import { searchKeys } from './search-keys'

interface Entry {
  m: MemberRecord
  name: string
  pinyin: string
  initials: string
  alias: string
  userid: string
  position: string
}

/**
 * In-memory member search: name, full pinyin, initials, alias, userid and position. Candidates
 * come from the query's rarest character (a per-character posting list), so a query touches a
 * small slice of a 100k directory; answers are cached per query until the index is rebuilt.
 */
export class SearchIndex {
  private readonly entries: Entry[] = []
  private readonly byChar = new Map<string, number[]>()
  private readonly cache = new Map<string, { items: MemberRecord[]; total: number }>()

  constructor(members: Iterable<MemberRecord>) {
    for (const m of members) {
      const keys = searchKeys(m.name)
      const e: Entry = {
        m,
        name: m.name.toLowerCase(),
        pinyin: keys.pinyin,
        initials: keys.initials,
        alias: (m.alias ?? '').toLowerCase(),
        userid: m.userid.toLowerCase(),
        position: m.position.toLowerCase(),
      }
      const id = this.entries.push(e) - 1
      for (const ch of new Set(e.name + e.pinyin + e.alias + e.userid + e.position)) {
        const list = this.byChar.get(ch)
        if (list) list.push(id)
        else this.byChar.set(ch, [id])
      }
    }
  }

  get size(): number {
    return this.entries.length
  }

  search(query: string, limit: number): { items: MemberRecord[]; total: number } {
    const q = query.trim().toLowerCase().replace(/\s+/g, '')
    if (!q) return { items: [], total: 0 }
    const key = `${limit}:${q}`
    const hit = this.cache.get(key)
    if (hit) return hit
    let candidates: number[] | undefined
    for (const ch of new Set(q)) {
      const list = this.byChar.get(ch) ?? []
      if (!candidates || list.length < candidates.length) candidates = list
    }
    const scored: { e: Entry; s: number }[] = []
    for (const id of candidates ?? []) {
      const e = this.entries[id]!
      const s = score(e, q)
      if (s > 0) scored.push({ e, s })
    }
    scored.sort((a, b) => b.s - a.s || a.e.pinyin.localeCompare(b.e.pinyin) || a.e.userid.localeCompare(b.e.userid))
    const result = { items: scored.slice(0, limit).map((x) => x.e.m), total: scored.length }
    if (this.cache.size >= 2_000) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(key, result)
    return result
  }
}

function score(e: Entry, q: string): number {
  if (e.name === q || e.userid === q) return 100
  if (e.initials === q) return 90
  if (e.name.startsWith(q) || e.pinyin.startsWith(q)) return 80
  if (e.initials.startsWith(q)) return 70
  if (e.userid.startsWith(q) || (e.alias && e.alias.startsWith(q))) return 60
  if (e.name.includes(q) || e.pinyin.includes(q) || e.alias.includes(q) || e.userid.includes(q)) return 40
  if (e.position.includes(q)) return 20
  return 0
}
