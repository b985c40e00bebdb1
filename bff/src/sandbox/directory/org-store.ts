import type { OrgIndex } from './org-index'
import type { Department, Member } from './org-types'

/**
 * Index-keeping primitives for org changes. They trust their input (org-changes*.ts validates)
 * and keep org, maps, children, membersOf and seq consistent. Costs are per change, not per
 * request: O(department size) or O(members) for renames, which is fine for an admin API.
 */

export function addMember(index: OrgIndex, m: Member): void {
  index.seq.set(m, index.nextSeq++)
  index.org.members.push(m)
  index.members.set(m.userid, m)
  for (const id of m.department) index.membersOf.get(id)?.push(m)
  syncLeaderships(index, m, [])
  index.version += 1
}

export function removeMember(index: OrgIndex, m: Member): void {
  const at = positionOf(index, m)
  if (at !== -1) index.org.members.splice(at, 1)
  index.members.delete(m.userid)
  for (const id of m.department) removeFrom(index.membersOf.get(id), m)
  for (const d of index.departments.values()) removeFrom(d.department_leader, m.userid)
  for (const other of index.org.members) if (other.direct_leader.includes(m.userid)) other.direct_leader = other.direct_leader.filter((u) => u !== m.userid)
  index.version += 1
}

/** Call after changing m.department / is_leader_in_dept; `before` is the old department list. */
export function moveMember(index: OrgIndex, m: Member, before: readonly number[]): void {
  for (const id of before) if (!m.department.includes(id)) removeFrom(index.membersOf.get(id), m)
  for (const id of m.department) if (!before.includes(id)) index.membersOf.get(id)?.push(m)
  syncLeaderships(index, m, before)
  index.version += 1
}

/** A userid change carries over to department leaders and everyone's direct_leader. */
export function renameMember(index: OrgIndex, m: Member, newUserid: string): void {
  const old = m.userid
  index.members.delete(old)
  m.userid = newUserid
  index.members.set(newUserid, m)
  for (const d of index.departments.values()) d.department_leader = d.department_leader.map((u) => (u === old ? newUserid : u))
  for (const other of index.org.members) if (other.direct_leader.includes(old)) other.direct_leader = other.direct_leader.map((u) => (u === old ? newUserid : u))
  index.version += 1
}

export function addDepartment(index: OrgIndex, d: Department): void {
  index.org.departments.push(d)
  index.departments.set(d.id, d)
  index.membersOf.set(d.id, [])
  pushChild(index, d)
  index.version += 1
}

export function removeDepartment(index: OrgIndex, d: Department): void {
  removeFrom(index.org.departments, d)
  index.departments.delete(d.id)
  index.membersOf.delete(d.id)
  index.children.delete(d.id)
  removeFrom(index.children.get(d.parentid), d)
  index.version += 1
}

/** Re-parents `d` and fixes the depth of its whole subtree. */
export function moveDepartment(index: OrgIndex, d: Department, parent: Department): void {
  removeFrom(index.children.get(d.parentid), d)
  d.parentid = parent.id
  pushChild(index, d)
  const fix = (node: Department, depth: number) => {
    node.depth = depth
    for (const kid of index.children.get(node.id) ?? []) fix(kid, depth + 1)
  }
  fix(d, parent.depth + 1)
  index.version += 1
}

export function touchDepartment(index: OrgIndex): void {
  index.version += 1
}

function pushChild(index: OrgIndex, d: Department): void {
  const list = index.children.get(d.parentid)
  if (list) list.push(d)
  else index.children.set(d.parentid, [d])
}

/** department_leader follows is_leader_in_dept. */
function syncLeaderships(index: OrgIndex, m: Member, before: readonly number[]): void {
  for (const id of new Set([...before, ...m.department])) {
    const d = index.departments.get(id)
    if (!d) continue
    const at = m.department.indexOf(id)
    const leads = at !== -1 && m.is_leader_in_dept[at] === 1
    const listed = d.department_leader.includes(m.userid)
    if (leads && !listed) d.department_leader.push(m.userid)
    if (!leads && listed) removeFrom(d.department_leader, m.userid)
  }
}

function positionOf(index: OrgIndex, m: Member): number {
  const seq = index.seq.get(m)
  const members = index.org.members
  let lo = 0
  let hi = members.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((index.seq.get(members[mid]!) ?? 0) < (seq ?? 0)) lo = mid + 1
    else hi = mid
  }
  return members[lo] === m ? lo : members.indexOf(m)
}

function removeFrom<T>(list: T[] | undefined, item: T): void {
  if (!list) return
  const at = list.indexOf(item)
  if (at !== -1) list.splice(at, 1)
}
