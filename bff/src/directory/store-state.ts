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

/**
 * What a sync diffs against: departments whole, members as hashes. The members come as one text
 * value, a line each (`hash status disabled userid`; WeCom userids hold no whitespace): at 100k
 * members that is several times cheaper than 100k rows, on PGlite above all.
 */
export async function loadSyncState(db: Queryable): Promise<DirectoryState> {
  const [row] = await db.query<{ lines: string | null }>(
    `select string_agg(sync_hash || ' ' || status || ' ' || (case when disabled_at is null then '0' else '1' end) || ' ' || userid, E'\\n') as lines from members`,
  )
  const members = new Map<string, StoredMember>()
  // Only whether a member is disabled matters to the sync, not since when.
  const disabled = new Date(0)
  for (const line of row?.lines ? row.lines.split('\n') : []) {
    const [hash, status, isDisabled, userid] = line.split(' ', 4) as [string, string, string, string]
    members.set(userid.toLowerCase(), { userid, hash, status: Number(status), disabledAt: isDisabled === '1' ? disabled : undefined })
  }
  return { departments: await loadDepartments(db), members }
}

/** Members per page of `loadMembers`: a page is one query, so the event loop is never held for long. */
const MEMBER_PAGE = 2_000

/**
 * Every member whole, for the read model, a page at a time in userid order (keyset), awaiting
 * `pause` between pages; each page's departments in a second query, joined here rather than per
 * row in SQL.
 */
export async function loadMembers(db: Queryable, pause: () => Promise<void> = async () => {}): Promise<Map<string, MemberRecord>> {
  const members = new Map<string, MemberRecord>()
  let after: string | null = null
  for (;;) {
    const rows: (Omit<MemberRow, 'memberships'> & { department_ids: number[] })[] = await db.query(
      `select userid, name, alias, position, avatar, main_department, status, gender, mobile, telephone, email, biz_mail, direct_leaders, disabled_at, department_ids
         from members where $1::text is null or userid > $1 order by userid limit ${MEMBER_PAGE}`,
      [after],
    )
    if (!rows.length) break
    const last = rows[rows.length - 1]!.userid
    const memberships = new Map<string, { d: number; o: number; l: boolean }[]>()
    for (const r of await db.query<{ userid: string; department_id: number; sort_order: string | number; is_leader: boolean }>(
      'select userid, department_id, sort_order, is_leader from member_departments where ($1::text is null or userid > $1) and userid <= $2',
      [after, last],
    )) {
      const list = memberships.get(r.userid) ?? []
      list.push({ d: r.department_id, o: Number(r.sort_order), l: r.is_leader })
      memberships.set(r.userid, list)
    }
    for (const r of rows) {
      const byDept = new Map((memberships.get(r.userid) ?? []).map((x) => [x.d, x]))
      // Keep WeCom's department order, which members.department_ids preserves.
      const ordered = r.department_ids.map((d) => byDept.get(d)).filter((x): x is { d: number; o: number; l: boolean } => !!x)
      members.set(r.userid.toLowerCase(), memberFromRow({ ...r, memberships: ordered }))
    }
    if (rows.length < MEMBER_PAGE) break
    after = last
    await pause()
  }
  return members
}
