import type { DepartmentNode } from '@portal/shared'
import type { StoredDepartment } from './diff'
import type { MemberRecord } from './member-store'
import { compareKeys, keyIn, type PageKey } from './member-page'
import { yieldToLoop } from './search-build'
import { SearchIndex } from './search-index'

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
  /** The departments as read (removed ones too): the next view compares them with its own. */
  stored: Map<number, StoredDepartment>
  /** Listed members in each live department or below it, each person once: the tree's totals. */
  totals: Map<number, number>
}

/** The live departments and how they hang together. */
interface Shape {
  liveIds: Set<number>
  children: Map<number | null, StoredDepartment[]>
  parentOf: Map<number, number>
}

function shapeOf(departments: Map<number, StoredDepartment>): Shape {
  const live = [...departments.values()].filter((d) => !d.removedAt)
  const liveIds = new Set(live.map((d) => d.id))
  const children = new Map<number | null, StoredDepartment[]>()
  const parentOf = new Map<number, number>()
  for (const d of live) {
    const parent = d.parentId !== undefined && liveIds.has(d.parentId) ? d.parentId : null
    if (parent !== null) parentOf.set(d.id, parent)
    const siblings = children.get(parent)
    if (siblings) siblings.push(d)
    else children.set(parent, [d])
  }
  return { liveIds, children, parentOf }
}

/** Adds `delta` to each live department `m` is in or below, once each: walks up from each of theirs, stopping where an earlier one already went. */
function countUp(totals: Map<number, number>, m: MemberRecord, shape: Shape, delta: number, walked?: Set<number>): void {
  const counted = new Set<number>()
  for (const x of m.departments) {
    for (let d: number | undefined = x.departmentId; d !== undefined && shape.liveIds.has(d) && !counted.has(d); d = shape.parentOf.get(d)) {
      counted.add(d)
      walked?.add(d)
      totals.set(d, (totals.get(d) ?? 0) + delta)
    }
  }
}

/** Adds `m` to the list of each of their departments. */
function addToLists(lists: Map<number, MemberRecord[]>, m: MemberRecord): void {
  for (const x of m.departments) {
    const list = lists.get(x.departmentId)
    if (list) list.push(m)
    else lists.set(x.departmentId, [m])
  }
}

/** Sorted in place; each member's key computed once per list, not once per comparison. */
function sortByKey(list: MemberRecord[], dep?: number): void {
  const keyed: Array<[PageKey, MemberRecord]> = list.map((m) => [keyIn(m, dep), m])
  keyed.sort((a, b) => compareKeys(a[0], b[0]))
  keyed.forEach(([, m], i) => (list[i] = m))
}

/** The listed members, handed to the index's build as it takes them (in slices), not as one array of them all. */
function* listedIn(members: Map<string, MemberRecord>): Generator<MemberRecord> {
  for (const m of members.values()) if (listed(m)) yield m
}

const isOther = (m: MemberRecord, shape: Shape) => listed(m) && !m.departments.some((x) => shape.liveIds.has(x.departmentId))

/** The tree's JSON (roots and the count of others) and each live department's path. */
function treeOf(shape: Shape, byDepartment: Map<number, MemberRecord[]>, totals: Map<number, number>, others: number) {
  const departments = new Map<number, { dep: StoredDepartment; path: string[] }>()
  const inOrder = (list: StoredDepartment[]) => [...list].sort((a, b) => b.order - a.order || a.id - b.id)
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
      children: inOrder(shape.children.get(d.id) ?? []).map((c) => toNode(c, here)),
    }
  }
  const roots = inOrder(shape.children.get(null) ?? []).map((d) => toNode(d, []))
  return { treeBody: JSON.stringify({ roots, ...(others ? { otherMembers: others } : {}) }), departments }
}

/** `body` (an object's JSON) with `syncedAt` as its last field: a 627 KB tree is not serialized again for it. */
export function treeJson(body: string, syncedAt: Date | null): string {
  return `${body.slice(0, -1)},"syncedAt":${JSON.stringify(syncedAt ? new Date(syncedAt).toISOString() : null)}}`
}

/** The whole view from every member, yielding to requests between slices. */
export async function buildView(
  version: number,
  syncedAt: Date | null,
  s: { departments: Map<number, StoredDepartment>; members: Iterable<MemberRecord> },
  previousSearch?: SearchIndex,
): Promise<DirectoryView> {
  const shape = shapeOf(s.departments)
  const members = new Map<string, MemberRecord>()
  const byDepartment = new Map<number, MemberRecord[]>()
  let grouped = 0
  for (const m of s.members) {
    if (++grouped % 10_000 === 0) await yieldToLoop()
    members.set(m.userid.toLowerCase(), m)
    if (listed(m)) addToLists(byDepartment, m)
  }
  let sorted = 0
  for (const [dep, list] of byDepartment) {
    sortByKey(list, dep)
    if ((sorted += list.length) >= 5_000) {
      sorted = 0
      await yieldToLoop()
    }
  }
  const others = [...members.values()].filter((m) => isOther(m, shape))
  sortByKey(others)
  const totals = new Map<number, number>()
  let walked = 0
  for (const m of members.values()) {
    if (!listed(m)) continue
    countUp(totals, m, shape, 1)
    if (++walked % 10_000 === 0) await yieldToLoop()
  }
  const { treeBody, departments } = treeOf(shape, byDepartment, totals, others.length)
  const search = await SearchIndex.build(listedIn(members), previousSearch)
  return { version, syncedAt, treeJson: treeJson(treeBody, syncedAt), treeBody, departments, members, byDepartment, others, search, responses: new Map(), stored: s.departments, totals }
}

/**
 * The view after `written` (members written since `previous` was read, keyed by lower-case
 * userid), the departments unchanged: only the lists those members were or are in are sorted
 * again, and the tree's counts moved by them. At 100k members, grouping, sorting and counting
 * everyone again was a tenth of a second of every rebuild after one callback. In one piece: for
 * a callback's few members (UPDATE_MAX_WRITTEN); more go through `buildView`, in slices.
 */
export async function updateView(previous: DirectoryView, version: number, syncedAt: Date | null, written: Map<string, MemberRecord>): Promise<DirectoryView> {
  const shape = shapeOf(previous.stored)
  // Copied in slices: at 100k members one copy was 20–30 ms of a turn no request could use.
  const members = new Map<string, MemberRecord>()
  let copied = 0
  for (const [key, m] of previous.members) {
    members.set(key, m)
    if (++copied % 10_000 === 0) await yieldToLoop()
  }
  const totals = new Map(previous.totals)
  const touched = new Set<number>()
  const walked = new Set<number>()
  let othersTouched = false
  for (const [key, m] of written) {
    const old = previous.members.get(key)
    members.set(key, m)
    for (const x of old ? [old, m] : [m]) {
      if (!listed(x)) continue
      for (const d of x.departments) touched.add(d.departmentId)
      if (isOther(x, shape)) othersTouched = true
    }
    if (old && listed(old)) countUp(totals, old, shape, -1, walked)
    if (listed(m)) countUp(totals, m, shape, 1, walked)
  }
  const stays = (m: MemberRecord) => !written.has(m.userid.toLowerCase())
  const joining = new Map<number, MemberRecord[]>()
  for (const m of written.values()) if (listed(m)) addToLists(joining, m)
  const byDepartment = new Map(previous.byDepartment)
  for (const dep of touched) {
    const list = (previous.byDepartment.get(dep) ?? []).filter(stays)
    list.push(...(joining.get(dep) ?? []))
    sortByKey(list, dep)
    if (list.length) byDepartment.set(dep, list)
    else byDepartment.delete(dep)
  }
  let others = previous.others
  if (othersTouched) {
    others = previous.others.filter(stays)
    for (const m of written.values()) if (isOther(m, shape)) others.push(m)
    sortByKey(others)
  }
  // The tree shows counts only: when none moved (an edited phone or position, the usual
  // callback), it is the same tree.
  const size = (v: { get(dep: number): { length: number } | undefined }, dep: number) => v.get(dep)?.length ?? 0
  const moved =
    others.length !== previous.others.length ||
    [...touched].some((dep) => size(byDepartment, dep) !== size(previous.byDepartment, dep)) ||
    [...walked].some((dep) => (totals.get(dep) ?? 0) !== (previous.totals.get(dep) ?? 0))
  const tree = moved ? treeOf(shape, byDepartment, totals, others.length) : previous
  const search = await SearchIndex.build(listedIn(members), previous.search)
  return {
    version,
    syncedAt,
    treeJson: treeJson(tree.treeBody, syncedAt),
    treeBody: tree.treeBody,
    departments: tree.departments,
    members,
    byDepartment,
    others,
    search,
    responses: new Map(),
    stored: previous.stored,
    totals,
  }
}

/** Members written since the last view that `updateView` takes in one piece; more are a build in slices. */
export const UPDATE_MAX_WRITTEN = 1_000

/** The same departments, field for field (each view reads them anew). */
export function sameDepartments(a: Map<number, StoredDepartment>, b: Map<number, StoredDepartment>): boolean {
  if (a.size !== b.size) return false
  for (const [id, x] of a) {
    const y = b.get(id)
    if (
      !y ||
      x.name !== y.name ||
      x.nameEn !== y.nameEn ||
      x.parentId !== y.parentId ||
      x.order !== y.order ||
      x.removedAt?.getTime() !== y.removedAt?.getTime() ||
      x.leaders.join('\n') !== y.leaders.join('\n')
    ) {
      return false
    }
  }
  return true
}
