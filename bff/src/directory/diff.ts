import { createHash } from 'node:crypto'
import { isActive, type DepartmentRecord, type MemberRecord } from './member-store'

export interface StoredDepartment extends DepartmentRecord {
  removedAt?: Date
}

/** What a sync needs to know of a stored member. */
export interface StoredMember {
  userid: string
  hash: string
  status: number
  disabledAt?: Date
}

export interface DirectoryState {
  departments: Map<number, StoredDepartment>
  /** Keyed by lower-cased userid (WeCom userids are case-insensitive). */
  members: Map<string, StoredMember>
}

export interface DirectoryDiff {
  departmentsCreated: DepartmentRecord[]
  departmentsUpdated: DepartmentRecord[]
  departmentsRemoved: number[]
  membersCreated: MemberRecord[]
  membersUpdated: MemberRecord[]
  /** Userids in the store, not yet disabled, that the complete fetch did not see. */
  membersDisabled: string[]
  /** How many of those are active members today (what the mass-change guard weighs). */
  activeDisabled: number
  activeMembers: number
}

/**
 * What to write so that the store equals `upstream`. Unchanged rows are left out; `rewriteAll`
 * (the forced run) lists every seen row as updated so derived columns are rebuilt.
 */
export function diffDirectory(stored: DirectoryState, upstream: { departments: DepartmentRecord[]; members: MemberRecord[] }, rewriteAll = false): DirectoryDiff {
  const d: DirectoryDiff = {
    departmentsCreated: [],
    departmentsUpdated: [],
    departmentsRemoved: [],
    membersCreated: [],
    membersUpdated: [],
    membersDisabled: [],
    activeDisabled: 0,
    activeMembers: 0,
  }
  const seenDepartments = new Set<number>()
  for (const dep of upstream.departments) {
    seenDepartments.add(dep.id)
    const old = stored.departments.get(dep.id)
    if (!old) d.departmentsCreated.push(dep)
    else if (rewriteAll || old.removedAt || departmentKey(old) !== departmentKey(dep)) d.departmentsUpdated.push(dep)
  }
  for (const [id, old] of stored.departments) if (!old.removedAt && !seenDepartments.has(id)) d.departmentsRemoved.push(id)

  const seenMembers = new Set<string>()
  for (const m of upstream.members) {
    const key = m.userid.toLowerCase()
    seenMembers.add(key)
    const old = stored.members.get(key)
    if (!old) d.membersCreated.push(m)
    else if (rewriteAll || old.disabledAt || old.hash !== memberHash(m)) d.membersUpdated.push(m)
  }
  for (const [key, old] of stored.members) {
    if (isActive(old)) d.activeMembers += 1
    if (old.disabledAt || seenMembers.has(key)) continue
    d.membersDisabled.push(old.userid)
    if (isActive(old)) d.activeDisabled += 1
  }
  return d
}

/** Changes whenever anything WeCom says about the member changes; stored as members.sync_hash. */
export function memberHash(m: MemberRecord): string {
  return createHash('sha1').update(memberKey(m)).digest('base64url')
}

function memberKey(m: MemberRecord): string {
  return JSON.stringify([
    m.userid,
    m.name,
    m.alias ?? null,
    m.position,
    m.avatar ?? null,
    m.departments.map((x) => [x.departmentId, x.order, x.isLeader]),
    m.mainDepartment ?? null,
    m.status,
    m.gender ?? null,
    m.mobile ?? null,
    m.telephone ?? null,
    m.email ?? null,
    m.bizMail ?? null,
    m.directLeaders,
  ])
}

function departmentKey(d: DepartmentRecord): string {
  return JSON.stringify([d.name, d.nameEn ?? null, d.parentId ?? null, d.order, d.leaders])
}
