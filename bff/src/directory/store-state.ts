import type { Queryable } from '../db'
import type { DirectoryState, StoredDepartment, StoredMember } from './diff'
import { memberFromRow, type MemberRecord, type MemberRow } from './member-store'

/**
 * Every department, as one JSON value: PGlite turns each result row into an object at a cost of
 * its own (5,000 rows: ≈ 110 ms on PGlite against ≈ 30 ms as one value).
 */
export async function loadDepartments(db: Queryable): Promise<Map<number, StoredDepartment>> {
  const [row] = await db.query<{ departments: string | null }>(
    'select json_agg(json_build_array(id, name, name_en, parent_id, sort_order, leaders, removed_at))::text as departments from departments',
  )
  const rows = row?.departments ? (JSON.parse(row.departments) as [number, string, string | null, number | null, number, string[] | null, string | null][]) : []
  return new Map(
    rows.map(([id, name, nameEn, parentId, order, leaders, removedAt]) => [
      id,
      { id, name, nameEn: nameEn ?? undefined, parentId: parentId ?? undefined, order: Number(order), leaders: leaders ?? [], removedAt: removedAt ? new Date(removedAt) : undefined },
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
  const text = row?.lines ?? ''
  // Cut by index, not split: 100k lines took 130–170 ms split and split again, 60–70 ms so.
  for (let at = 0; at < text.length; ) {
    const end = nextIndex(text, '\n', at)
    const a = text.indexOf(' ', at)
    const b = text.indexOf(' ', a + 1)
    const userid = text.slice(b + 3, end)
    members.set(userid.toLowerCase(), { userid, hash: text.slice(at, a), status: Number(text.slice(a + 1, b)), disabledAt: text[b + 1] === '1' ? disabled : undefined })
    at = end + 1
  }
  return { departments: await loadDepartments(db), members }
}

/** Where `ch` is next found in `text` from `from`, or the text's end. */
function nextIndex(text: string, ch: string, from: number): number {
  const i = text.indexOf(ch, from)
  return i < 0 ? text.length : i
}

/** Members per page of `loadMembers`: a page is one query, so the event loop is never held for long. */
const MEMBER_PAGE = 2_000

const MEMBER_COLUMNS = 'userid, name, alias, position, avatar, main_department, status, gender, mobile, telephone, email, biz_mail, direct_leaders, disabled_at, department_ids'
type LoadedRow = Omit<MemberRow, 'memberships'> & { department_ids: number[] }
type MembershipRow = { userid: string; department_id: number; sort_order: string | number; is_leader: boolean }

/**
 * Every member whole, for the read model, a page at a time in userid order (keyset), awaiting
 * `pause` between pages; each page's departments in a second query, joined here rather than per
 * row in SQL.
 */
export async function loadMembers(db: Queryable, pause: () => Promise<void> = async () => {}): Promise<Map<string, MemberRecord>> {
  const members = new Map<string, MemberRecord>()
  let after: string | null = null
  for (;;) {
    const rows: LoadedRow[] = await db.query(`select ${MEMBER_COLUMNS} from members where $1::text is null or userid > $1 order by userid limit ${MEMBER_PAGE}`, [after])
    if (!rows.length) break
    const last = rows[rows.length - 1]!.userid
    const memberships = await db.query<MembershipRow>(
      'select userid, department_id, sort_order, is_leader from member_departments where ($1::text is null or userid > $1) and userid <= $2',
      [after, last],
    )
    addMembers(members, rows, memberships)
    if (rows.length < MEMBER_PAGE) break
    after = last
    await pause()
  }
  return members
}

/**
 * Where a later `loadMembersWrittenSince` starts: the oldest transaction still running now. Taken
 * before the load it belongs to, so a write that load may have missed (one not yet committed, or
 * committed while its pages were read) is read again next time.
 */
export async function writtenXmin(db: Queryable): Promise<string> {
  const [row] = await db.query<{ xmin: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as xmin')
  return row!.xmin
}

/**
 * The members written (inserted or updated, by any instance) by transactions from `xmin` on
 * (migration 028), whole, as `loadMembers` gives them. Their userids come from one scan; they are
 * then read by userid, MEMBER_PAGE at a time.
 */
export async function loadMembersWrittenSince(db: Queryable, xmin: string, pause: () => Promise<void> = async () => {}): Promise<Map<string, MemberRecord>> {
  const written = await db.query<{ userid: string }>('select userid from members where written_xid >= $1::xid8', [xmin])
  const members = new Map<string, MemberRecord>()
  for (let i = 0; i < written.length; i += MEMBER_PAGE) {
    const userids = written.slice(i, i + MEMBER_PAGE).map((r) => r.userid)
    const rows: LoadedRow[] = await db.query(`select ${MEMBER_COLUMNS} from members where userid = any($1)`, [userids])
    const memberships = await db.query<MembershipRow>('select userid, department_id, sort_order, is_leader from member_departments where userid = any($1)', [userids])
    addMembers(members, rows, memberships)
    await pause()
  }
  return members
}

function addMembers(members: Map<string, MemberRecord>, rows: LoadedRow[], membershipRows: MembershipRow[]): void {
  const memberships = new Map<string, { d: number; o: number; l: boolean }[]>()
  for (const r of membershipRows) {
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
}
