import type { Department, Member, Org } from './org-types'

/** The org plus lookups by id; members are keyed by lower-cased userid. */
export interface OrgIndex {
  org: Org
  departments: Map<number, Department>
  members: Map<string, Member>
}

export function indexOrg(org: Org): OrgIndex {
  return {
    org,
    departments: new Map(org.departments.map((d) => [d.id, d])),
    members: new Map(org.members.map((m) => [m.userid, m])),
  }
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
