import type { Queryable } from '../db'
import { countMembers, type MemberRecord } from './member-store'
import { yieldToLoop } from './search-build'
import { loadDepartments, loadMembers, loadMembersWrittenSince, writtenXmin } from './store-state'
import { directoryVersion } from './version'
import { buildView, sameDepartments, treeJson, UPDATE_MAX_WRITTEN, updateView, type DirectoryView } from './view-build'

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
 * instance at most a fifth of a core: at 100k members a rebuild after one callback takes 0.2–0.3 s of
 * CPU, one that reads every member 2–3 s.
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
      const previous = this.view
      let whole = true
      let view: DirectoryView
      if (previous && this.viewXmin !== undefined) {
        const written = await loadMembersWrittenSince(this.db, this.viewXmin, yieldToLoop)
        let size = previous.members.size
        for (const key of written.keys()) if (!previous.members.has(key)) size++
        // One deleted by hand (the app never does) would stay listed; userids differing only in
        // case count twice in the table and once here. Either way: a whole load, as before.
        whole = size !== (await countMembers(this.db))
        if (whole) view = await buildView(version, syncedAt, { departments, members: (await loadMembers(this.db, yieldToLoop)).values() }, previous.search)
        // A callback's few members: the view before, moved by them.
        else if (written.size <= UPDATE_MAX_WRITTEN && sameDepartments(previous.stored, departments)) view = await updateView(previous, version, syncedAt, written)
        // Not copied into a map of its own here (100k entries in one piece): `buildView` makes one.
        else view = await buildView(version, syncedAt, { departments, members: overlay(previous.members, written) }, previous.search)
      } else {
        view = await buildView(version, syncedAt, { departments, members: (await loadMembers(this.db, yieldToLoop)).values() })
      }
      this.view = view
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
