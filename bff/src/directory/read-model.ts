import type { DepartmentNode } from '@portal/shared'
import type { Queryable } from '../db'
import type { StoredDepartment } from './diff'
import type { MemberRecord } from './member-store'
import { compareKeys, keyIn } from './member-page'
import { SearchIndex, type KeysCache } from './search-index'
import { loadDepartments, loadMembers } from './store-state'
import { directoryVersion } from './version'

/** Who the directory lists: not disabled by sync, and active or not yet activated in WeCom. */
export const listed = (m: MemberRecord) => !m.disabledAt && (m.status === 1 || m.status === 4)

export interface DirectoryView {
  version: number
  syncedAt: Date | null
  /** JSON of GET /api/directory/departments, built once per version. */
  treeJson: string
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
  /** Serialized answers of this version (search results), dropped with the view. */
  responses: Map<string, string>
}

/**
 * The directory in memory for the read endpoints. Every write bumps `directory_state.version`;
 * this checks it at most every `checkEveryMs` and rebuilds when it moved, so every instance
 * follows syncs and callbacks applied by any other. Meanwhile requests get the view it has
 * (a rebuild at 100k members takes a while); after `invalidate()` they wait for the new one.
 */
export class DirectoryReadModel {
  private view?: DirectoryView
  private checkedAt = 0
  private pending?: Promise<DirectoryView>
  /** Counts `invalidate()` calls; `viewAt` is the count when the view's version was read. */
  private invalidations = 0
  private viewAt = 0

  constructor(
    private readonly db: Queryable,
    private readonly now: () => number = Date.now,
    private readonly checkEveryMs = 2_000,
  ) {}

  async current(): Promise<DirectoryView> {
    const fresh = this.viewAt === this.invalidations
    if (this.view && fresh && this.now() - this.checkedAt < this.checkEveryMs) return this.view
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
    void this.current().catch(() => {})
    return this.view
  }

  /** Built at least once: the read endpoints can answer (readiness). */
  get loaded(): boolean {
    return this.view !== undefined
  }

  /** Forget the cached view (after a write in this process). */
  invalidate(): void {
    this.checkedAt = 0
    this.invalidations++
  }

  private async refresh(): Promise<DirectoryView> {
    const at = this.invalidations
    const { version, syncedAt } = await directoryVersion(this.db)
    if (!this.view || this.view.version !== version) {
      this.view = build(version, syncedAt, { departments: await loadDepartments(this.db), members: await loadMembers(this.db) }, this.view?.search.keys)
    }
    this.checkedAt = this.now()
    this.viewAt = at
    return this.view
  }
}

function build(
  version: number,
  syncedAt: Date | null,
  s: { departments: Map<number, StoredDepartment>; members: Map<string, MemberRecord> },
  keys?: KeysCache,
): DirectoryView {
  const live = [...s.departments.values()].filter((d) => !d.removedAt)
  const liveIds = new Set(live.map((d) => d.id))
  const members = new Map<string, MemberRecord>()
  const byDepartment = new Map<number, MemberRecord[]>()
  for (const m of s.members.values()) {
    members.set(m.userid.toLowerCase(), m)
    if (!listed(m)) continue
    for (const x of m.departments) {
      const list = byDepartment.get(x.departmentId) ?? []
      list.push(m)
      byDepartment.set(x.departmentId, list)
    }
  }
  for (const [dep, list] of byDepartment) list.sort((a, b) => compareKeys(keyIn(a, dep), keyIn(b, dep)))
  const others = [...members.values()].filter((m) => listed(m) && !m.departments.some((x) => liveIds.has(x.departmentId)))
  others.sort((a, b) => compareKeys(keyIn(a), keyIn(b)))

  const children = new Map<number | null, StoredDepartment[]>()
  for (const d of live) {
    const parent = d.parentId !== undefined && liveIds.has(d.parentId) ? d.parentId : null
    const siblings = children.get(parent)
    if (siblings) siblings.push(d)
    else children.set(parent, [d])
  }
  const departments = new Map<number, { dep: StoredDepartment; path: string[] }>()
  const toNode = (d: StoredDepartment, path: string[]): { node: DepartmentNode; people: Set<string> } => {
    const here = [...path, d.name]
    departments.set(d.id, { dep: d, path: here })
    const direct = byDepartment.get(d.id) ?? []
    const people = new Set(direct.map((m) => m.userid))
    const kids = (children.get(d.id) ?? []).sort((a, b) => b.order - a.order || a.id - b.id).map((c) => toNode(c, here))
    for (const k of kids) for (const p of k.people) people.add(p)
    const node: DepartmentNode = {
      id: d.id,
      name: d.name,
      ...(d.nameEn ? { nameEn: d.nameEn } : {}),
      parentId: d.parentId ?? null,
      order: d.order,
      leaders: d.leaders,
      memberCount: direct.length,
      totalCount: people.size,
      children: kids.map((k) => k.node),
    }
    return { node, people }
  }
  const roots = (children.get(null) ?? []).sort((a, b) => b.order - a.order || a.id - b.id).map((d) => toNode(d, []).node)
  return {
    version,
    syncedAt,
    treeJson: JSON.stringify({ roots, ...(others.length ? { otherMembers: others.length } : {}), syncedAt: syncedAt ? new Date(syncedAt).toISOString() : null }),
    departments,
    members,
    byDepartment,
    others,
    search: new SearchIndex([...members.values()].filter(listed), keys),
    responses: new Map(),
  }
}
