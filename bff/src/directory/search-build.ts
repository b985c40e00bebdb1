import type { MemberRecord } from './member-store'
import { searchKeys } from './search-keys'

// The search index's build: what it holds of each member, and its posting lists, made or renumbered.

export interface Entry {
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

/** Longest substring indexed: a query's rarest gram of this length bounds its candidates. */
export const GRAM = 3
const collator = new Intl.Collator()

/** What a build produces; `buildIndex` yields between slices so a caller can let requests run. */
export interface Built {
  entries: Entry[]
  grams: Map<number, Int32Array>
  keys: KeysCache
  /** Entries that differ from the build before: new or changed members, and those they replace or that left. */
  changed: Entry[]
}

/** Names of members no longer indexed a keys map may hold before a build makes it afresh. */
const STALE_KEYS = 5_000

/** Entries handled between two yields of a build. */
const SLICE = 1_000

/**
 * What a build takes from the index before it: its entries (in answer order), its posting lists
 * and its names' keys. The read model keeps the object of a member who did not change, so the
 * entries of those still to be indexed are reused as they are, already in order: after one
 * callback at 100k members, a rebuild sorts the changed few and merges, where sorting every entry
 * held the event loop for 0.3–0.4 s in one piece. Their lists are renumbered rather than built
 * again (building them was 0.7–1 s of such a rebuild).
 */
interface Previous {
  entries: readonly Entry[]
  grams: ReadonlyMap<number, Int32Array>
  keys: KeysCache
}

/** The order answers list equal scores in: pinyin, then userid as `localeCompare` orders them. */
function inAnswerOrder(a: Entry, b: Entry): number {
  if (a.pinyin !== b.pinyin) return a.pinyin < b.pinyin ? -1 : 1
  if (a.plainId && b.plainId) return a.userid < b.userid ? -1 : a.userid > b.userid ? 1 : 0
  return collator.compare(a.userid, b.userid)
}

export function* buildIndex(members: Iterable<MemberRecord>, previous?: Previous): Generator<void, Built> {
  const before = previous?.entries ?? []
  // The names' keys of the index before, added to: made afresh only once they hold many names
  // nobody has any more (a whole copy was 50 ms of a rebuild after one callback at 100k members).
  const reuseKeys = previous !== undefined && previous.keys.size <= before.length + STALE_KEYS
  const keysOut: KeysCache = reuseKeys ? previous.keys : new Map()
  const incoming = new Set<MemberRecord>()
  for (const m of members) if (incoming.add(m).size % SLICE === 0) yield
  const kept: Entry[] = []
  /** Each kept entry's number in the previous index. */
  const keptAt: number[] = []
  const changed: Entry[] = []
  for (let at = 0; at < before.length; at++) {
    const e = before[at]!
    if (incoming.delete(e.m)) {
      kept.push(e)
      keptAt.push(at)
      if (!reuseKeys) keysOut.set(e.m.name, previous!.keys.get(e.m.name) ?? { pinyin: e.pinyin, initials: e.initials })
    } else changed.push(e)
    if (at % SLICE === SLICE - 1) yield
  }
  let fresh: Entry[] = []
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
  fresh = yield* sortedInSlices(fresh)
  // Merged in answer order. Kept entries stay in their previous order, so renumbering a list
  // keeps it ascending.
  const entries: Entry[] = []
  /** A previous entry's new number, or -1: it changed or left. */
  const renumber = new Int32Array(before.length).fill(-1)
  const freshIds: number[] = []
  for (let i = 0, j = 0; i < kept.length || j < fresh.length; ) {
    if (j === fresh.length || (i < kept.length && inAnswerOrder(kept[i]!, fresh[j]!) <= 0)) {
      renumber[keptAt[i]!] = entries.length
      entries.push(kept[i++]!)
    } else {
      freshIds.push(entries.length)
      entries.push(fresh[j++]!)
    }
    if (entries.length % (SLICE * 10) === 0) yield
  }
  // The fresh entries' numbers under each of their grams, ascending.
  const added = new Map<number, number[]>()
  for (let j = 0; j < fresh.length; j++) {
    const e = fresh[j]!
    const id = freshIds[j]!
    for (const field of [e.name, e.pinyin, e.initials, e.alias, e.userid, e.position]) {
      for (let i = 0; i < field.length; i++) {
        let g = 0
        for (let k = 0; k < GRAM && i + k < field.length; k++) {
          g = gramStep(g, field.charCodeAt(i + k))
          const list = added.get(g)
          // Entries are visited in order: a repeat within one entry is the list's last id.
          if (!list) added.set(g, [id])
          else if (list[list.length - 1] !== id) list.push(id)
        }
      }
    }
    if (j % SLICE === SLICE - 1) yield
  }
  // Outside [lo, hi] the previous entries kept their numbers (an edit that leaves a member's place
  // in the order, the usual callback, moves none but theirs): a list with none inside is shared.
  let lo = 0
  while (lo < before.length && renumber[lo] === lo) lo++
  let hi = before.length - 1
  while (hi > lo && renumber[hi] === hi) hi--
  const grams = new Map<number, Int32Array>()
  // Lists are as long as a gram is common (a letter: most of the directory): slices by ids written.
  let written = 0
  for (const [g, list] of previous?.grams ?? []) {
    const add = added.get(g)
    const out = !add && noneWithin(list, lo, hi) ? list : renumbered(list, renumber, add)
    if (out.length) grams.set(g, out)
    if ((written += list.length + 16) >= SLICE * 100) {
      written = 0
      yield
    }
  }
  for (const [g, ids] of added) {
    if (grams.has(g)) continue
    grams.set(g, Int32Array.from(ids))
    if ((written += ids.length + 16) >= SLICE * 100) {
      written = 0
      yield
    }
  }
  changed.push(...fresh)
  return { entries, grams, keys: keysOut, changed }
}

/**
 * `list` in answer order, yielding as it goes: runs of SLICE × 10 sorted one at a time, then merged
 * pairwise. Sorting 100k new entries (a first build, or a sync that changed everyone) in one piece
 * held the event loop for 0.2 s. Stable, as `sort` is: a merge takes from the earlier run on ties.
 */
function* sortedInSlices(list: Entry[]): Generator<void, Entry[]> {
  const run = SLICE * 10
  let runs: Entry[][] = []
  for (let i = 0; i < list.length; i += run) {
    runs.push(list.slice(i, i + run).sort(inAnswerOrder))
    yield
  }
  let merged = 0
  while (runs.length > 1) {
    const next: Entry[][] = []
    for (let r = 0; r < runs.length; r += 2) {
      const a = runs[r]!
      const b = runs[r + 1]
      if (!b) {
        next.push(a)
        continue
      }
      const out: Entry[] = []
      for (let i = 0, j = 0; i < a.length || j < b.length; ) {
        out.push(j === b.length || (i < a.length && inAnswerOrder(a[i]!, b[j]!) <= 0) ? a[i++]! : b[j++]!)
        if (++merged % run === 0) yield
      }
      next.push(out)
    }
    runs = next
  }
  return runs[0] ?? []
}

/** Whether ascending `list` holds no number from lo to hi. */
function noneWithin(list: Int32Array, lo: number, hi: number): boolean {
  let a = 0
  let b = list.length
  while (a < b) {
    const mid = (a + b) >> 1
    if (list[mid]! < lo) a = mid + 1
    else b = mid
  }
  return a === list.length || list[a]! > hi
}

/** `list` (ascending previous numbers) in new numbers, without those gone, merged with `add` (ascending new numbers). */
function renumbered(list: Int32Array, renumber: Int32Array, add: readonly number[] = []): Int32Array {
  const out = new Int32Array(list.length + add.length)
  let n = 0
  let j = 0
  for (let i = 0; i < list.length; i++) {
    const id = renumber[list[i]!]!
    if (id < 0) continue
    while (j < add.length && add[j]! < id) out[n++] = add[j++]!
    out[n++] = id
  }
  while (j < add.length) out[n++] = add[j++]!
  return n === out.length ? out : out.subarray(0, n)
}

/** Lets timers and I/O run between slices of a long build. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * A gram of up to three UTF-16 code units as one number: base-65537 digits of code + 1, so
 * grams of different lengths never collide, and 65537³ stays below 2⁵³. Numbers rather than
 * substrings: a 100k directory has millions of grams, and a number allocates nothing.
 */
export const gramStep = (g: number, code: number) => g * 65_537 + code + 1
