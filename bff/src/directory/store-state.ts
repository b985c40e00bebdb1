import type { Queryable } from '../db'
import type { DirectoryState, StoredDepartment, StoredMember } from './diff'
import { memberFromRow, type MemberRecord, type MemberRow } from './member-store'

export async function loadDepartments(db: Queryable): Promise<Map<number, StoredDepartment>> {
  const rows = await db.query<{ id: number; name: string; name_en: string | null; parent_id: number | null; sort_order: string | number; leaders: string[]; removed_at: Date | null }>(
    'select id, name, name_en, parent_id, sort_order, leaders, removed_at from departments',
  )
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, name: r.name, nameEn: r.name_en ?? undefined, parentId: r.parent_id ?? undefined, order: Number(r.sort_order), leaders: r.leaders ?? [], removedAt: r.removed_at ?? undefined },
    ]),
  )
}

/** What a sync diffs against: departments whole, members as hashes (cheap at 100k). */
export async function loadSyncState(db: Queryable): Promise<DirectoryState> {
  const rows = await db.query<{ userid: string; sync_hash: string; status: number; disabled_at: Date | null }>('select userid, sync_hash, status, disabled_at from members')
  const members = new Map<string, StoredMember>()
  for (const r of rows) members.set(r.userid.toLowerCase(), { userid: r.userid, hash: r.sync_hash, status: r.status, disabledAt: r.disabled_at ?? undefined })
  return { departments: await loadDepartments(db), members }
}

/** Every member whole, for the read model (two queries, joined here rather than per row in SQL). */
export async function loadMembers(db: Queryable): Promise<Map<string, MemberRecord>> {
  const memberships = new Map<string, { d: number; o: number; l: boolean }[]>()
  for (const r of await db.query<{ userid: string; department_id: number; sort_order: string | number; is_leader: boolean }>(
    'select userid, department_id, sort_order, is_leader from member_departments',
  )) {
    const list = memberships.get(r.userid) ?? []
    list.push({ d: r.department_id, o: Number(r.sort_order), l: r.is_leader })
    memberships.set(r.userid, list)
  }
  const members = new Map<string, MemberRecord>()
  const rows = await db.query<Omit<MemberRow, 'memberships'> & { department_ids: number[] }>(
    'select userid, name, alias, position, avatar, main_department, status, gender, mobile, telephone, email, biz_mail, direct_leaders, disabled_at, department_ids from members',
  )
  for (const r of rows) {
    const byDept = new Map((memberships.get(r.userid) ?? []).map((x) => [x.d, x]))
    // Keep WeCom's department order, which members.department_ids preserves.
    const ordered = r.department_ids.map((d) => byDept.get(d)).filter((x): x is { d: number; o: number; l: boolean } => !!x)
    members.set(r.userid.toLowerCase(), memberFromRow({ ...r, memberships: ordered }))
  }
  return members
}
