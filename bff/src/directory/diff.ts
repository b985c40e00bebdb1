import { hash } from 'node:crypto'
import type { DepartmentRecord, MemberRecord } from './member-store'

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

export interface DepartmentDiff {
  created: DepartmentRecord[]
  updated: DepartmentRecord[]
  removed: number[]
}

/**
 * What to write so that the stored departments equal `upstream` (a few thousand at most: held
 * whole). `rewriteAll` (the forced run) lists every seen one as updated.
 */
export function diffDepartments(stored: Map<number, StoredDepartment>, upstream: DepartmentRecord[], rewriteAll = false): DepartmentDiff {
  const d: DepartmentDiff = { created: [], updated: [], removed: [] }
  const seen = new Set<number>()
  for (const dep of upstream) {
    seen.add(dep.id)
    const old = stored.get(dep.id)
    if (!old) d.created.push(dep)
    else if (rewriteAll || old.removedAt || departmentKey(old) !== departmentKey(dep)) d.updated.push(dep)
  }
  for (const [id, old] of stored) if (!old.removedAt && !seen.has(id)) d.removed.push(id)
  return d
}

/**
 * Who the complete read did not see, and what the mass-change guard weighs. The guard counts
 * exactly the people the run disables (active, not activated or disabled in WeCom alike), so the
 * number an admin is shown, the number they confirm and the number disabled are one number.
 */
export interface Leftovers {
  /** Userids in the store, not yet disabled, that the complete read did not see. */
  disabled: string[]
  /** Members in the store not yet disabled: what the share is taken of. */
  members: number
}

/**
 * Compares members page by page as WeCom's answers arrive, against the stored hashes only, so a
 * run holds one page of members rather than the whole directory. Unchanged members are left out;
 * `rewriteAll` (the forced run) keeps every one so derived columns are rebuilt.
 */
export class MemberDiff {
  private readonly seen = new Set<string>()
  created = 0
  updated = 0
  /** Existing members written with a status other than active: their sessions end. */
  readonly leavers: string[] = []

  constructor(
    private readonly stored: Map<string, StoredMember>,
    private readonly rewriteAll = false,
  ) {}

  /** The members of one page that must be written: new, changed, back from disabled. */
  changed(page: MemberRecord[]): MemberRecord[] {
    const out: MemberRecord[] = []
    for (const m of page) {
      const key = m.userid.toLowerCase()
      // A member listed in several departments is compared once.
      if (this.seen.has(key)) continue
      this.seen.add(key)
      const old = this.stored.get(key)
      if (!old) {
        this.created += 1
        out.push(m)
      } else if (this.rewriteAll || old.disabledAt || old.hash !== memberHash(m)) {
        this.updated += 1
        out.push(m)
        if (m.status !== 1) this.leavers.push(m.userid)
      }
    }
    return out
  }

  get membersSeen(): number {
    return this.seen.size
  }

  /** Call once the whole read succeeded. */
  leftovers(): Leftovers {
    const l: Leftovers = { disabled: [], members: 0 }
    for (const [key, old] of this.stored) {
      if (old.disabledAt) continue
      l.members += 1
      if (!this.seen.has(key)) l.disabled.push(old.userid)
    }
    return l
  }
}

/** Changes whenever anything WeCom says about the member changes; stored as members.sync_hash. */
export function memberHash(m: MemberRecord): string {
  // The one-shot hash: a 100k-member sync hashes every member, and a Hash object each cost 3× more.
  return hash('sha1', memberKey(m), 'base64url')
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
