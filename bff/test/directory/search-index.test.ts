import { describe, expect, it } from 'vitest'
import type { MemberRecord } from '../../src/directory/member-store'
import { SearchIndex } from '../../src/directory/search-index'
import { searchKeys } from '../../src/directory/search-keys'
import { generateOrg } from '../../src/sandbox'
import { createRng, pickIndex } from '../../src/sandbox/prng'

/**
 * The ranking as first written: every member scored, sorted by score, then pinyin, then userid
 * with localeCompare. The index must answer exactly this, however it finds the candidates.
 */
function reference(members: MemberRecord[]) {
  const entries = members.map((m) => ({
    m,
    e: { name: m.name.toLowerCase(), userid: m.userid.toLowerCase(), alias: (m.alias ?? '').toLowerCase(), position: m.position.toLowerCase(), ...searchKeys(m.name) },
  }))
  const score = (e: (typeof entries)[number]['e'], q: string) => {
    if (e.name === q || e.userid === q) return 100
    if (e.initials === q) return 90
    if (e.name.startsWith(q) || e.pinyin.startsWith(q)) return 80
    if (e.initials.startsWith(q)) return 70
    if (e.userid.startsWith(q) || (e.alias && e.alias.startsWith(q))) return 60
    if (e.name.includes(q) || e.pinyin.includes(q) || e.alias.includes(q) || e.userid.includes(q)) return 40
    if (e.position.includes(q)) return 20
    return 0
  }
  return (query: string, limit: number) => {
    const q = query.trim().toLowerCase().replace(/\s+/g, '')
    if (!q) return { items: [] as string[], total: 0 }
    const scored = entries.flatMap(({ m, e }) => (score(e, q) ? [{ m, e, s: score(e, q) }] : []))
    scored.sort((a, b) => b.s - a.s || a.e.pinyin.localeCompare(b.e.pinyin) || a.e.userid.localeCompare(b.e.userid))
    return { items: scored.slice(0, limit).map((x) => x.m.userid), total: scored.length }
  }
}

// A generated org, with userids in mixed case and with punctuation (WeCom allows `_-.@`), and
// aliases, so that ties and every field are exercised.
const org = generateOrg({ departments: 60, members: 1_500, seed: 7 })
const members: MemberRecord[] = org.members.map((u, i) => ({
  userid: i % 5 === 0 ? `${u.userid.toUpperCase()}${'_-.@'[i % 4]}x` : u.userid,
  name: u.name,
  ...(i % 9 === 0 ? { alias: `Al ${u.userid.slice(0, 4)}` } : {}),
  position: u.position,
  departments: [],
  status: 1,
  directLeaders: [],
}))
const index = SearchIndex.of(members)
const expected = reference(members)
const answer = (q: string, limit: number) => {
  const r = index.search(q, limit)
  return { items: r.items.map((m) => m.userid), total: r.total }
}

describe('SearchIndex', () => {
  it('answers nothing to empty or blank queries, and to text nobody has', () => {
    for (const q of ['', '   ', '\t']) expect(index.search(q, 30)).toEqual({ items: [], total: 0 })
    expect(answer('qqqxz', 30)).toEqual({ items: [], total: 0 })
    expect(answer('𠀀', 30)).toEqual({ items: [], total: 0 })
  })

  it('ranks exactly as scoring every member and sorting would, for every kind of query', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz'
    const queries = [
      ...letters,
      ...[...'zwlcs'].flatMap((a) => [...letters].map((b) => a + b)),
      ...members.slice(0, 120).flatMap((m) => [m.userid, m.userid.slice(0, 3), m.userid.slice(2, 6), m.name, m.name.slice(0, 1), m.name.slice(1), m.position]),
      ...['_x', '-x', '.x', '@x', 'al ', 'Al zh', ' li  na ', 'ZHANG', 'zhangwei', '工程', '经理', '总监', 'x'],
    ]
    for (const q of queries) for (const limit of [1, 30, 100]) expect(answer(q, limit), `${q} (limit ${limit})`).toEqual(expected(q, limit))
  })

  it('gives the same answer from its cache, and after a rebuild that reuses the pinyin of the last one', () => {
    const first = answer('zh', 30)
    expect(answer('zh', 30)).toEqual(first)
    const rebuilt = SearchIndex.of(members, index)
    expect(rebuilt.search('zh', 30).items.map((m) => m.userid)).toEqual(first.items)
  })

  it('rebuilt from the index before it (members changed, gone, added, renamed, same pinyin), answers as a build from scratch', () => {
    // As the read model hands them over: an unchanged member keeps their object, a changed one is a new object.
    const next = members.flatMap((m, i): MemberRecord[] => {
      if (i % 97 === 0) return []
      if (i % 89 === 0) return [{ ...m, name: members[(i * 7) % members.length]!.name }]
      if (i % 83 === 0) return [{ ...m, position: '新岗位', alias: 'Renamed' }]
      return [m]
    })
    next.push({ ...members[3]!, userid: 'zz-new' }, { ...members[5]!, userid: 'AAA' }, { ...members[8]!, userid: members[8]!.userid + '0' })
    const reused = SearchIndex.of(next, index)
    const scratch = reference(next)
    for (const q of ['zh', 'w', 'li', 'wang', '新岗位', 'renamed', 'aaa', 'zz', members[8]!.userid, members[3]!.name, '工程', 'x']) {
      for (const limit of [1, 30, 1_000]) {
        const r = reused.search(q, limit)
        expect({ items: r.items.map((m) => m.userid), total: r.total }, q).toEqual(scratch(q, limit))
      }
    }
  })

  it('rebuilt again and again from the index before (its lists renumbered, not built anew), answers as a build from scratch', () => {
    const rng = createRng(11)
    const rand = (n: number) => pickIndex(rng, n)
    let current = members
    let index = SearchIndex.of(current)
    for (let round = 0; round < 6; round++) {
      // A callback's worth of changes in early rounds, a sync's in the last: renamed, moved, gone, added.
      const touched: MemberRecord[] = []
      const changes = round < 4 ? 1 + rand(4) : 150
      const next = [...current]
      for (let c = 0; c < changes; c++) {
        const i = rand(next.length)
        const m = next[i]!
        const kind = rand(4)
        if (kind === 0) next.splice(i, 1)
        else {
          const changed = kind === 1 ? { ...m, name: members[rand(members.length)]!.name } : kind === 2 ? { ...m, position: `岗位${round}`, alias: `Al${c}` } : { ...m, userid: `new${round}x${c}` }
          if (kind === 3) next.push(changed)
          else next[i] = changed
          touched.push(changed)
        }
        touched.push(m)
      }
      index = SearchIndex.of(next, index)
      current = next
      const scratch = reference(current)
      const queries = ['a', 'z', 'zh', 'li', 'ng', 'wang', '工程', 'x', ...touched.flatMap((m) => [m.userid.toLowerCase(), m.userid.slice(1, 4), m.name, m.name.slice(-1), m.position])]
      for (const q of queries) {
        const r = index.search(q, 1_000)
        expect({ items: r.items.map((m) => m.userid), total: r.total }, `round ${round}: ${q}`).toEqual(scratch(q, 1_000))
      }
      // Everyone findable by their userid and their name, neighbours of the changes included.
      const built = SearchIndex.of(current)
      for (const q of current.flatMap((m) => [m.userid, m.name])) expect(index.search(q, 5), `round ${round}: ${q}`).toEqual(built.search(q, 5))
    }
  })

  it('finds a member by what only they have after someone is added just before them in answer order', () => {
    // Everyone after the added member moves up one number; a list that named only her must follow.
    const her = { ...members[100]!, userid: 'zz-her', position: '独一岗位' }
    const before = SearchIndex.of([...members, her])
    expect(before.search('独一岗', 5).items).toEqual([her])
    const after = SearchIndex.of([...members, her, { ...her, userid: 'zz-a', position: '专员' }], before)
    // A query not asked before: answered from the lists, not carried from the cache.
    expect(after.search('一岗', 5).items).toEqual([her])
  })

  it('rebuilt after a few members changed, keeps the cached answers they are not in and answers the rest anew, as a build from scratch would', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz'
    const queries = [
      ...[...'zwlcsy'].flatMap((a) => [...letters].map((b) => a + b)),
      ...members.slice(0, 200).flatMap((m) => [m.userid, m.userid.slice(0, 3), m.name, m.name.slice(1), m.position]),
      ...['新岗位', 'renamed', 'zz', '工程', 'x', 'li'],
    ]
    const before = SearchIndex.of(members)
    const cached = new Map(queries.map((q) => [q, before.search(q, 30)]))
    // One renamed (to another member's name), one moved to a new position, one gone, one added.
    const next = members.flatMap((m, i): MemberRecord[] => {
      if (i === 10) return [{ ...m, name: members[500]!.name }]
      if (i === 20) return [{ ...m, position: '新岗位', alias: 'Renamed' }]
      if (i === 30) return []
      return [m]
    })
    next.push({ ...members[40]!, userid: 'zz-new' })
    const after = SearchIndex.of(next, before)
    const scratch = reference(next)
    let carried = 0
    for (const q of queries) {
      const r = after.search(q, 30)
      expect({ items: r.items.map((m) => m.userid), total: r.total }, q).toEqual(scratch(q, 30))
      if (r === cached.get(q)) carried++
    }
    // Most answers did not involve the four: kept, not scored again. Those that did were answered anew.
    expect(carried).toBeGreaterThan(queries.length / 2)
    expect(after.search(members[500]!.name, 30)).not.toBe(cached.get(members[500]!.name))
    expect(after.search('zz', 30)).not.toBe(cached.get('zz'))
  })

  it('after many changes (a sync) it keeps no answer of the index before', () => {
    const before = SearchIndex.of(members)
    const zh = before.search('zh', 30)
    const next = members.map((m, i) => (i < 40 ? { ...m, position: `${m.position}2` } : m))
    expect(SearchIndex.of(next, before).search('zh', 30)).not.toBe(zh)
    expect(SearchIndex.of([...members], before).search('zh', 30)).toBe(zh)
  })

  it('orders a build of many new members (sorted in runs, then merged) exactly as the reference, whole answers included', async () => {
    // 25,000 new entries: runs of 10,000 sorted apart and merged, one run left over at a merge.
    const big = generateOrg({ departments: 100, members: 25_000, seed: 11 }).members.map(
      (u, i): MemberRecord => ({ userid: i % 7 === 0 ? u.userid.toUpperCase() : u.userid, name: u.name, position: u.position, departments: [], status: 1, directLeaders: [] }),
    )
    const ix = await SearchIndex.build(big, undefined, async () => {})
    const ref = reference(big)
    for (const q of ['a', 'zh', 'wang', 'li', big[24_999]!.name, big[3]!.userid.slice(0, 4)]) {
      const r = ix.search(q, 25_000)
      expect({ items: r.items.map((m) => m.userid), total: r.total }, q).toEqual(ref(q, 25_000))
    }
  })

  it('builds in slices when asked (a pause after every step when slices may last 0 ms), with the same answers as a build in one piece', async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => ({ ...members[i % members.length]!, userid: `user${i}` }))
    let pauses = 0
    const sliced = await SearchIndex.build(many, undefined, async () => void pauses++, 0)
    // Slices of 1,000 entries in each pass over the members: never one piece at this size.
    expect(pauses).toBeGreaterThanOrEqual(10)
    const whole = SearchIndex.of(many)
    for (const q of ['zhang', 'zs', 'user49', '工程']) expect(sliced.search(q, 20)).toEqual(whole.search(q, 20))
  })
})
