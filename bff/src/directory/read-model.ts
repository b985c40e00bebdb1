import type { DepartmentNode } from '@portal/shared'
import type { Queryable } from '../db'
import type { StoredDepartment } from './diff'
import { countMembers, type MemberRecord } from './member-store'
import { compareKeys, keyIn, type PageKey } from './member-page'
import { yieldToLoop } from './search-build'
import { SearchIndex } from './search-index'
import { loadDepartments, loadMembers, loadMembersWrittenSince, writtenXmin } from './store-state'
import { directoryVersion } from './version'

/** Who the directory lists: not disabled by sync, and active or not yet activated in WeCom. */
export const listed = (m: MemberRecord) => !m.disabledAt && (m.status === 1 || m.status === 4)

export interface DirectoryView {
  version: number
  syncedAt: Date | null
  /** JSON of GET /api/directory/departments, built once per version (and per sync time). */
  treeJson: string
  /** The tree's JSON without the sync time: a sync that changed nothing only moves that. */
  treeBody: string
  departments: Map<number, { dep: StoredDepartment; path: string[] }>
  members: Map<string, MemberRecord>
  /** Listed members per department, in WeCom's order (larger `order` first), then by name (compareKeys). */
  byDepartment: Map<number, MemberRecord[]>
  /**
   * Listed members in no visible department (visible on their own or through a tag): the
   * directory's 其他可见成员, by name.
   */
  others: MemberRecord[]
  search: SearchIndex
  /** Serialized answers of this version (search results, as UTF-8 bytes), dropped with the view. */
  responses: Map<string, Uint8Array<ArrayBuffer>>
}

/** A rebuild of the view, as the metrics count it. */
export interface DirectoryRebuild {
  /** From the version check to the new view, slices and the requests between them included. */
  seconds: number
  /** Every member read (the first build, or the count did not add up), not only those written since. */
  whole: boolean
  members: number
}

/**
 * After a rebuild the next check waits at least this many times as long as the rebuild took, so
 * that a directory changing all day (callbacks arriving every second at a large corp) costs an
 * instance at most a fifth of a core: at 100k members a rebuild takes 1–3 s of CPU.
 */
const REST_PER_REBUILD = 4

/**
 * The directory in memory for the read endpoints. Every write bumps `directory_state.version`;
 * this checks it at most every `checkEveryMs` (longer after a long rebuild) and rebuilds when it
 * moved, so every instance follows syncs and callbacks applied by any other. Meanwhile requests
 * get the view it has (a rebuild at 100k members takes a while); after `invalidate()` they wait
 * for the new one.
 */
export class DirectoryReadModel {
  private view?: DirectoryView
  private checkedAt = 0
  /** checkEveryMs, or longer after a long rebuild (REST_PER_REBUILD). */
  private checkAfterMs: number
  private pending?: Promise<DirectoryView>
  /** Counts `invalidate()` calls; `viewAt` is the count when the view's version was read. */
  private invalidations = 0
  private viewAt = 0
  /** Where the next load of written members starts: taken before the view's members were read. */
  private viewXmin?: string

  constructor(
    private readonly db: Queryable,
    private readonly now: () => number = Date.now,
    private readonly checkEveryMs = 2_000,
    private readonly onRebuild?: (r: DirectoryRebuild) => void,
  ) {
    this.checkAfterMs = checkEveryMs
  }

  async current(): Promise<DirectoryView> {
    const fresh = this.viewAt === this.invalidations
    if (this.view && fresh && this.now() - this.checkedAt < this.checkAfterMs) return this.view
    this.pending ??= this.refresh().finally(() => (this.pending = undefined))
    if (!this.view || !fresh) return this.pending
    // A periodic look: the next request after it gets the result (a failure is tried again then).
    this.pending.catch(() => {})
    return this.view
  }

  /**
   * The view there is, without waiting for a look or a rebuild (one is started when due): for
   * callers that may answer from a view a moment old rather than hold a request for a rebuild.
   */
  latest(): DirectoryView | undefined {
    // Checked here first: on the hot endpoints that call this on every request, current() (an
    // async function) would cost two promises each time only to return the same view.
    if (!this.view || this.viewAt !== this.invalidations || this.now() - this.checkedAt >= this.checkAfterMs) void this.current().catch(() => {})
    return this.view
  }

  /** Built at least once: the read endpoints can answer (readiness). */
  get loaded(): boolean {
    return this.view !== undefined
  }

  /**
   * After a write in this process: the next request starts a rebuild. With `wait` (the default)
   * requests wait for it, so whoever made the write reads it next; without, they are answered
   * from the view there is meanwhile, as on every other instance.
   */
  invalidate(opts: { wait?: boolean } = {}): void {
    // Not 0: a clock (the tests' own) may still be near it.
    this.checkedAt = -Infinity
    if (opts.wait !== false) this.invalidations++
  }

  private async refresh(): Promise<DirectoryView> {
    const at = this.invalidations
    const { version, syncedAt } = await directoryVersion(this.db)
    this.checkAfterMs = this.checkEveryMs
    if (!this.view || this.view.version !== version) {
      const started = performance.now()
      // In slices (pages of members, slices of the index): requests meanwhile get the old view.
      // Members are never deleted, so the view's members with those written since it was read
      // are all of them: at 100k members a whole load cost 2–7 s of CPU, and one callback
      // applied is enough to start a rebuild. Departments (a few thousand) are read whole.
      const xmin = await writtenXmin(this.db)
      const departments = await loadDepartments(this.db)
      let members: Iterable<MemberRecord>
      let whole = true
      if (this.view && this.viewXmin !== undefined) {
        // Not copied into a map of its own here (100k entries in one piece): `build` makes one.
        const had = this.view.members
        const written = await loadMembersWrittenSince(this.db, this.viewXmin, yieldToLoop)
        let size = had.size
        for (const key of written.keys()) if (!had.has(key)) size++
        // One deleted by hand (the app never does) would stay listed; userids differing only in
        // case count twice in the table and once here. Either way: a whole load, as before.
        whole = size !== (await countMembers(this.db))
        members = whole ? (await loadMembers(this.db, yieldToLoop)).values() : overlay(had, written)
      } else {
        members = (await loadMembers(this.db, yieldToLoop)).values()
      }
      this.view = await build(version, syncedAt, { departments, members }, this.view?.search)
      this.viewXmin = xmin
      const ms = performance.now() - started
      this.checkAfterMs = Math.max(this.checkEveryMs, REST_PER_REBUILD * ms)
      this.onRebuild?.({ seconds: ms / 1000, whole, members: this.view.members.size })
    } else if (this.view.syncedAt?.getTime() !== syncedAt?.getTime()) {
      // A sync that changed nothing: the same directory, checked later. The H5 shows when.
      this.view = { ...this.view, syncedAt, treeJson: treeJson(this.view.treeBody, syncedAt) }
    }
    this.checkedAt = this.now()
    this.viewAt = at
    return this.view
  }
}

/** The members of `had` with those in `written` instead, and the new ones in `written` after them. */
function* overlay(had: Map<string, MemberRecord>, written: Map<string, MemberRecord>): Generator<MemberRecord> {
  for (const [key, m] of had) if (!written.has(key)) yield m
  yield* written.values()
}

/** `body` (an object's JSON) with `syncedAt` as its last field: a 627 KB tree is not serialized again for it. */
function treeJson(body: string, syncedAt: Date | null): string {
  return `${body.slice(0, -1)},"syncedAt":${JSON.stringify(syncedAt ? new Date(syncedAt).toISOString() : null)}}`
}

async function build(
  version: number,
  syncedAt: Date | null,
  s: { departments: Map<number, StoredDepartment>; members: Iterable<MemberRecord> },
  previousSearch?: SearchIndex,
): Promise<DirectoryView> {
  const live = [...s.departments.values()].filter((d) => !d.removedAt)
  const liveIds = new Set(live.map((d) => d.id))
  const members = new Map<string, MemberRecord>()
  const byDepartment = new Map<number, MemberRecord[]>()
  let grouped = 0
  for (const m of s.members) {
    if (++grouped % 10_000 === 0) await yieldToLoop()
    members.set(m.userid.toLowerCase(), m)
    if (!listed(m)) continue
    for (const x of m.departments) {
      const list = byDepartment.get(x.departmentId) ?? []
      list.push(m)
      byDepartment.set(x.departmentId, list)
    }
  }
  // Each member's key computed once per list, not once per comparison.
  const sortByKey = (list: MemberRecord[], dep?: number) => {
    const keyed: Array<[PageKey, MemberRecord]> = list.map((m) => [keyIn(m, dep), m])
    keyed.sort((a, b) => compareKeys(a[0], b[0]))
    keyed.forEach(([, m], i) => (list[i] = m))
  }
  let sorted = 0
  for (const [dep, list] of byDepartment) {
    sortByKey(list, dep)
    if ((sorted += list.length) >= 5_000) {
      sorted = 0
      await yieldToLoop()
    }
  }
  const others = [...members.values()].filter((m) => listed(m) && !m.departments.some((x) => liveIds.has(x.departmentId)))
  sortByKey(others)

  const children = new Map<number | null, StoredDepartment[]>()
  const parentOf = new Map<number, number>()
  for (const d of live) {
    const parent = d.parentId !== undefined && liveIds.has(d.parentId) ? d.parentId : null
    if (parent !== null) parentOf.set(d.id, parent)
    const siblings = children.get(parent)
    if (siblings) siblings.push(d)
    else children.set(parent, [d])
  }
  // Everyone listed in a department or below it, each person once: walk up from each of their
  // departments, stopping where an earlier department of theirs already went.
  const totals = new Map<number, number>()
  let walked = 0
  for (const m of members.values()) {
    if (!listed(m)) continue
    const counted = new Set<number>()
    for (const x of m.departments) {
      for (let d: number | undefined = x.departmentId; d !== undefined && liveIds.has(d) && !counted.has(d); d = parentOf.get(d)) {
        counted.add(d)
        totals.set(d, (totals.get(d) ?? 0) + 1)
      }
    }
    if (++walked % 10_000 === 0) await yieldToLoop()
  }
  const departments = new Map<number, { dep: StoredDepartment; path: string[] }>()
  const toNode = (d: StoredDepartment, path: string[]): DepartmentNode => {
    const here = [...path, d.name]
    departments.set(d.id, { dep: d, path: here })
    return {
      id: d.id,
      name: d.name,
      ...(d.nameEn ? { nameEn: d.nameEn } : {}),
      parentId: d.parentId ?? null,
      order: d.order,
      leaders: d.leaders,
      memberCount: byDepartment.get(d.id)?.length ?? 0,
      totalCount: totals.get(d.id) ?? 0,
      children: (children.get(d.id) ?? []).sort((a, b) => b.order - a.order || a.id - b.id).map((c) => toNode(c, here)),
    }
  }
  const roots = (children.get(null) ?? []).sort((a, b) => b.order - a.order || a.id - b.id).map((d) => toNode(d, []))
  const search = await SearchIndex.build([...members.values()].filter(listed), previousSearch)
  const treeBody = JSON.stringify({ roots, ...(others.length ? { otherMembers: others.length } : {}) })
  return {
    version,
    syncedAt,
    treeJson: treeJson(treeBody, syncedAt),
    treeBody,
    departments,
    members,
    byDepartment,
    others,
    search,
    responses: new Map(),
  }
}
