import type { MemberRecord } from './member-store'
import { searchKeys } from './search-keys'

interface Entry {
  m: MemberRecord
  name: string
  pinyin: string
  initials: string
  alias: string
  userid: string
  /** The userid is all [a-z0-9]: compared by code unit, the collator's order there. */
  plainId: boolean
  position: string
}

/** Search keys of a name, kept across rebuilds: pinyin costs far more than the rest of an entry. */
export type KeysCache = Map<string, { pinyin: string; initials: string }>

/** Scores, best first (see `score`). */
const LEVELS = [100, 90, 80, 70, 60, 40, 20] as const
/** Longest substring indexed: a query's rarest gram of this length bounds its candidates. */
const GRAM = 3
const collator = new Intl.Collator()

/** What a build produces; `buildIndex` yields between slices so a caller can let requests run. */
interface Built {
  entries: Entry[]
  grams: Map<number, Int32Array>
  keys: KeysCache
  /** Entries that differ from the build before: new or changed members, and those they replace or that left. */
  changed: Entry[]
}

/** Answers a rebuild carries over from the index before it: only when this few entries changed. */
const CARRY_MAX_CHANGED = 32

/** Entries handled between two yields of a build. */
const SLICE = 1_000

/**
 * What a build takes from the index before it: its entries (in answer order) and its names' keys.
 * The read model keeps the object of a member who did not change, so the entries of those still
 * to be indexed are reused as they are, already in order: after one callback at 100k members, a
 * rebuild sorts the changed few and merges, where sorting every entry held the event loop for
 * 0.3–0.4 s in one piece.
 */
interface Previous {
  entries: readonly Entry[]
  keys: KeysCache
}

/** The order answers list equal scores in: pinyin, then userid as `localeCompare` orders them. */
function inAnswerOrder(a: Entry, b: Entry): number {
  if (a.pinyin !== b.pinyin) return a.pinyin < b.pinyin ? -1 : 1
  if (a.plainId && b.plainId) return a.userid < b.userid ? -1 : a.userid > b.userid ? 1 : 0
  return collator.compare(a.userid, b.userid)
}

function* buildIndex(members: Iterable<MemberRecord>, previous?: Previous): Generator<void, Built> {
  const keysOut: KeysCache = new Map()
  const incoming = new Set<MemberRecord>()
  for (const m of members) if (incoming.add(m).size % SLICE === 0) yield
  const kept: Entry[] = []
  const changed: Entry[] = []
  let looked = 0
  for (const e of previous?.entries ?? []) {
    if (incoming.delete(e.m)) {
      kept.push(e)
      keysOut.set(e.m.name, previous!.keys.get(e.m.name) ?? { pinyin: e.pinyin, initials: e.initials })
    } else changed.push(e)
    if (++looked % SLICE === 0) yield
  }
  const fresh: Entry[] = []
  for (const m of incoming) {
    let keys = previous?.keys.get(m.name) ?? keysOut.get(m.name)
    if (!keys) keys = searchKeys(m.name)
    keysOut.set(m.name, keys)
    const userid = m.userid.toLowerCase()
    fresh.push({
      m,
      name: m.name.toLowerCase(),
      pinyin: keys.pinyin,
      initials: keys.initials,
      alias: (m.alias ?? '').toLowerCase(),
      userid,
      plainId: /^[a-z0-9]*$/.test(userid),
      position: m.position.toLowerCase(),
    })
    if (fresh.length % SLICE === 0) yield
  }
  fresh.sort(inAnswerOrder)
  yield
  const entries: Entry[] = []
  for (let i = 0, j = 0; i < kept.length || j < fresh.length; ) {
    entries.push(j === fresh.length || (i < kept.length && inAnswerOrder(kept[i]!, fresh[j]!) <= 0) ? kept[i++]! : fresh[j++]!)
    if (entries.length % (SLICE * 10) === 0) yield
  }
  const lists = new Map<number, number[]>()
  for (let id = 0; id < entries.length; id++) {
    const e = entries[id]!
    for (const field of [e.name, e.pinyin, e.initials, e.alias, e.userid, e.position]) {
      for (let i = 0; i < field.length; i++) {
        let g = 0
        for (let k = 0; k < GRAM && i + k < field.length; k++) {
          g = gramStep(g, field.charCodeAt(i + k))
          const list = lists.get(g)
          // Entries are visited in order: a repeat within one entry is the list's last id.
          if (!list) lists.set(g, [id])
          else if (list[list.length - 1] !== id) list.push(id)
        }
      }
    }
    if (id % SLICE === SLICE - 1) yield
  }
  const grams = new Map<number, Int32Array>()
  // Lists are as long as a gram is common (a letter: most of the directory): slices by ids copied.
  let copied = 0
  for (const [g, list] of lists) {
    grams.set(g, Int32Array.from(list))
    if ((copied += list.length + 16) >= SLICE * 100) {
      copied = 0
      yield
    }
  }
  changed.push(...fresh)
  return { entries, grams, keys: keysOut, changed }
}

/** Lets timers and I/O run between slices of a long build. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

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
  /** Keys of the names this index holds, for the next build to reuse. */
  readonly keys: KeysCache

  /** Built in one piece (small directories, tests); `previous`: the index it replaces, whose work it reuses. */
  static of(members: Iterable<MemberRecord>, previous?: SearchIndex): SearchIndex {
    const steps = buildIndex(members, previous && { entries: previous.entries, keys: previous.keys })
    let step = steps.next()
    while (!step.done) step = steps.next()
    return new SearchIndex(step.value, previous)
  }

  /**
   * Built in slices, awaiting `pause` between them: at 100k members a build takes seconds of
   * CPU, and requests keep being answered (from the previous index) meanwhile.
   */
  static async build(members: Iterable<MemberRecord>, previous?: SearchIndex, pause = yieldToLoop): Promise<SearchIndex> {
    const steps = buildIndex(members, previous && { entries: previous.entries, keys: previous.keys })
    let step = steps.next()
    while (!step.done) {
      await pause()
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

/**
 * A gram of up to three UTF-16 code units as one number: base-65537 digits of code + 1, so
 * grams of different lengths never collide, and 65537³ stays below 2⁵³. Numbers rather than
 * substrings: a 100k directory has millions of grams, and a number allocates nothing.
 */
const gramStep = (g: number, code: number) => g * 65_537 + code + 1

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
