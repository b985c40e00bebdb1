import type { MemberRecord } from './member-store'
import { buildIndex, gramStep, GRAM, yieldToLoop, type Built, type Entry, type KeysCache } from './search-build'

/** Scores, best first (see `score`). */
const LEVELS = [100, 90, 80, 70, 60, 40, 20] as const

/**
 * How long a sliced build works before it lets requests run. Its steps are small (a millisecond
 * or so), and under load each yield waits for every request that arrived meanwhile: yielding
 * after every step, a rebuild of 0.2–0.3 s of CPU took 1–3 s at 100 connections.
 */
const SLICE_MS = 5

/** Answers a rebuild carries over from the index before it: only when this few entries changed. */
const CARRY_MAX_CHANGED = 32

/**
 * In-memory member search: name, full pinyin, initials, alias, userid and position.
 *
 * Entries are numbered in answer order (pinyin, then userid), and every substring of up to three
 * characters of their fields has a posting list of entry numbers, ascending. A query's candidates
 * are the shortest list among its own substrings of that length (a superset of its matches), and
 * walking that list in order fills each score level already sorted: no sort and no string
 * comparison per query, whatever the size of the directory. Answers are cached per query; a rebuild
 * keeps those its changes cannot touch (see `carry`).
 */
export class SearchIndex {
  private readonly entries: Entry[]
  private readonly grams: Map<number, Int32Array>
  private readonly cache = new Map<string, { items: MemberRecord[]; total: number }>()
  /** Keys of the names this index holds (and of a few it held before), for the next build to reuse. */
  readonly keys: KeysCache

  /** Built in one piece (small directories, tests); `previous`: the index it replaces, whose work it reuses. */
  static of(members: Iterable<MemberRecord>, previous?: SearchIndex): SearchIndex {
    const steps = buildIndex(members, previous && { entries: previous.entries, grams: previous.grams, keys: previous.keys })
    let step = steps.next()
    while (!step.done) step = steps.next()
    return new SearchIndex(step.value, previous)
  }

  /**
   * Built in slices, awaiting `pause` once a slice has run `sliceMs`: at 100k members a build
   * takes seconds of CPU, and requests keep being answered (from the previous index) meanwhile.
   */
  static async build(members: Iterable<MemberRecord>, previous?: SearchIndex, pause = yieldToLoop, sliceMs = SLICE_MS): Promise<SearchIndex> {
    const steps = buildIndex(members, previous && { entries: previous.entries, grams: previous.grams, keys: previous.keys })
    let from = performance.now()
    let step = steps.next()
    while (!step.done) {
      if (performance.now() - from >= sliceMs) {
        await pause()
        from = performance.now()
      }
      step = steps.next()
    }
    return new SearchIndex(step.value, previous)
  }

  private constructor(built: Built, previous?: SearchIndex) {
    this.entries = built.entries
    this.grams = built.grams
    this.keys = built.keys
    if (previous && built.changed.length <= CARRY_MAX_CHANGED) this.carry(previous.cache, built.changed)
  }

  /**
   * Keeps the answers of the index before that no changed entry matches (before or after its
   * change): their members are the same objects in the same order, so the answer is the same. A
   * callback changes a member or two, and every instance rebuilds after it; without this, the
   * popular queries were all scored again after each one (a two-letter query at 100k members:
   * tens of thousands of matches, 15–34 ms).
   */
  private carry(answers: ReadonlyMap<string, { items: MemberRecord[]; total: number }>, changed: readonly Entry[]): void {
    for (const [key, answer] of answers) {
      const q = key.slice(key.indexOf(':') + 1)
      if (!changed.some((e) => score(e, q) > 0)) this.cache.set(key, answer)
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
    const levels: Entry[][] = LEVELS.map(() => [])
    let total = 0
    for (const id of this.candidates(q)) {
      const e = this.entries[id]!
      const s = score(e, q)
      if (s === 0) continue
      total++
      const level = levels[LEVELS.indexOf(s as (typeof LEVELS)[number])]!
      if (level.length < limit) level.push(e)
    }
    const items: MemberRecord[] = []
    for (const level of levels) for (const e of level) if (items.length < limit) items.push(e.m)
    const result = { items, total }
    if (this.cache.size >= 2_000) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(key, result)
    return result
  }

  /**
   * Entry numbers, ascending, that may match q. Every field that matches contains each substring
   * of q (initials match by prefix, and are indexed whole too), so a match is in the list of every
   * one of q's grams: the rarest list, narrowed by the next rarest while it is long. A userid at
   * 100k members is made of common pinyin grams: its rarest alone still held thousands of entries,
   * each scored (≈ 70 µs a query).
   */
  private candidates(q: string): Int32Array {
    const k = Math.min(GRAM, q.length)
    const lists: Int32Array[] = []
    for (let i = 0; i + k <= q.length; i++) {
      let g = 0
      for (let j = i; j < i + k; j++) g = gramStep(g, q.charCodeAt(j))
      const list = this.grams.get(g)
      if (!list) return NONE
      lists.push(list)
    }
    lists.sort((a, b) => a.length - b.length)
    let out = lists[0]!
    for (let l = 1; l < lists.length && out.length > FEW_CANDIDATES; l++) out = intersect(out, lists[l]!)
    return out
  }
}

/** Candidates scored as they are, without narrowing them further. */
const FEW_CANDIDATES = 32

const NONE = new Int32Array(0)

/**
 * The numbers of ascending `a` that ascending `b` holds, in order; `b` is searched by galloping
 * (it is usually far longer). Int32Array like the lists, so the loop over candidates sees one type.
 */
function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length)
  let n = 0
  let j = 0
  for (let i = 0; i < a.length && j < b.length; i++) {
    const x = a[i]!
    if (b[j]! < x) {
      let step = 1
      while (j + step < b.length && b[j + step]! < x) {
        j += step
        step *= 2
      }
      let lo = j + 1
      let hi = Math.min(j + step, b.length - 1)
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (b[mid]! < x) lo = mid + 1
        else hi = mid
      }
      j = lo
    }
    if (b[j] === x) out[n++] = x
  }
  return out.subarray(0, n)
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
