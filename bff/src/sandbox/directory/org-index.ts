import type { Department, Member, Org } from './org-types'

/**
 * The org plus the lookups every API needs, so that each stays O(answer) at 100k members.
 * Members are keyed by lower-cased userid. org-store.ts keeps all of it consistent on changes.
 */
export interface OrgIndex {
  org: Org
  departments: Map<number, Department>
  members: Map<string, Member>
  /** Child departments per parent id, in creation order. */
  children: Map<number, Department[]>
  /** Direct members (every status) per department id, in directory order. */
  membersOf: Map<number, Member[]>
  /**
   * Directory position: org.members is sorted by it and new members get the next one, so a
   * user/list_id cursor still points at the right place after members come and go.
   */
  seq: WeakMap<Member, number>
  nextSeq: number
  /** Bumped on every change; cached views (the visible range) rebuild when it moves. */
  version: number
}

export function indexOrg(org: Org): OrgIndex {
  const children = new Map<number, Department[]>()
  const membersOf = new Map<number, Member[]>()
  for (const d of org.departments) {
    membersOf.set(d.id, [])
    if (d.parentid === 0) continue
    const list = children.get(d.parentid)
    if (list) list.push(d)
    else children.set(d.parentid, [d])
  }
  const seq = new WeakMap<Member, number>()
  org.members.forEach((m, i) => {
    seq.set(m, i)
    for (const id of m.department) membersOf.get(id)?.push(m)
  })
  return {
    org,
    departments: new Map(org.departments.map((d) => [d.id, d])),
    members: new Map(org.members.map((m) => [m.userid, m])),
    children,
    membersOf,
    seq,
    nextSeq: org.members.length,
    version: 0,
  }
}

/** Swaps in a fresh org (reset) without replacing the object everyone holds. */
export function reindexOrg(index: OrgIndex, org: Org): void {
  const version = index.version + 1
  Object.assign(index, indexOrg(org), { version })
}

export function findMember(index: OrgIndex, userid: string): Member | undefined {
  return index.members.get(userid.toLowerCase())
}

export function departmentName(index: OrgIndex, id: number): string {
  return index.departments.get(id)?.name ?? String(id)
}

/** "研发中心 / 前端组": the path below the root, for pickers. */
export function departmentPath(index: OrgIndex, id: number): string {
  const names: string[] = []
  for (let d = index.departments.get(id); d && d.parentid !== 0; d = index.departments.get(d.parentid)) names.unshift(d.name)
  return names.join(' / ') || departmentName(index, id)
}

/** WeCom's sibling order: larger `order` first; id breaks ties so the walk is stable. */
function siblingOrder(a: Department, b: Department): number {
  return b.order - a.order || a.id - b.id
}

/**
 * Pre-order walk (parents before children) of the subtrees under `roots`, each department once.
 * O(departments visited).
 */
export function walkDepartments(index: OrgIndex, roots: readonly number[], visit: (d: Department) => void): void {
  const seen = new Set<number>()
  const stack: Department[] = []
  for (let i = roots.length - 1; i >= 0; i--) {
    const d = index.departments.get(roots[i]!)
    if (d) stack.push(d)
  }
  while (stack.length > 0) {
    const d = stack.pop()!
    if (seen.has(d.id)) continue
    seen.add(d.id)
    visit(d)
    const kids = [...(index.children.get(d.id) ?? [])].sort(siblingOrder)
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!)
  }
}

/** True when `id` is `ancestor` or lies below it. O(depth). */
export function isWithin(index: OrgIndex, id: number, ancestor: number): boolean {
  for (let d = index.departments.get(id); d; d = index.departments.get(d.parentid)) if (d.id === ancestor) return true
  return false
}
