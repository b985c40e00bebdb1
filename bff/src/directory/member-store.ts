import type { Queryable } from '../db'

/** A member as this app keeps it (WeCom's `status`: 1 active, 2 disabled, 4 not activated, 5 quit). */
export interface MemberRecord {
  userid: string
  name: string
  alias?: string
  position: string
  avatar?: string
  /** In WeCom's order, with the member's `order` and leader flag in each. */
  departments: Membership[]
  mainDepartment?: number
  status: number
  gender?: number
  mobile?: string
  telephone?: string
  email?: string
  bizMail?: string
  directLeaders: string[]
  /** Set when a complete sync no longer saw the member. */
  disabledAt?: Date
}

export interface Membership {
  departmentId: number
  order: number
  isLeader: boolean
}

export interface DepartmentRecord {
  id: number
  name: string
  nameEn?: string
  parentId?: number
  order: number
  leaders: string[]
}

/** Active = WeCom says active and the last complete sync still saw them. */
export function isActive(m: Pick<MemberRecord, 'status' | 'disabledAt'>): boolean {
  return m.status === 1 && !m.disabledAt
}

export const MEMBER_COLUMNS =
  'm.userid, m.name, m.alias, m.position, m.avatar, m.main_department, m.status, m.gender, m.mobile, m.telephone, m.email, m.biz_mail, m.direct_leaders, m.disabled_at, ' +
  "coalesce((select json_agg(json_build_object('d', md.department_id, 'o', md.sort_order, 'l', md.is_leader) order by array_position(m.department_ids, md.department_id)) from member_departments md where md.userid = m.userid), '[]') as memberships"

export type MemberRow = {
  userid: string
  name: string
  alias: string | null
  position: string
  avatar: string | null
  main_department: number | null
  status: number
  gender: number | null
  mobile: string | null
  telephone: string | null
  email: string | null
  biz_mail: string | null
  direct_leaders: string[]
  disabled_at: Date | null
  memberships: { d: number; o: number | string; l: boolean }[] | string
}

export function memberFromRow(r: MemberRow): MemberRecord {
  const ms = typeof r.memberships === 'string' ? (JSON.parse(r.memberships) as { d: number; o: number; l: boolean }[]) : r.memberships
  const opt = <T>(v: T | null) => (v === null || v === '' ? undefined : v)
  return {
    userid: r.userid,
    name: r.name,
    alias: opt(r.alias),
    position: r.position,
    avatar: opt(r.avatar),
    departments: ms.map((x) => ({ departmentId: x.d, order: Number(x.o), isLeader: x.l })),
    mainDepartment: opt(r.main_department),
    status: r.status,
    gender: opt(r.gender),
    mobile: opt(r.mobile),
    telephone: opt(r.telephone),
    email: opt(r.email),
    bizMail: opt(r.biz_mail),
    directLeaders: r.direct_leaders ?? [],
    disabledAt: r.disabled_at ? new Date(r.disabled_at) : undefined,
  }
}

export async function getMember(db: Queryable, userid: string): Promise<MemberRecord | null> {
  const rows = await db.query<MemberRow>(`select ${MEMBER_COLUMNS} from members m where lower(m.userid) = lower($1)`, [userid])
  return rows[0] ? memberFromRow(rows[0]) : null
}

/** The stored members among `userids` (any case), by lower-cased userid. */
export async function getMembers(db: Queryable, userids: string[]): Promise<Map<string, MemberRecord>> {
  if (!userids.length) return new Map()
  const rows = await db.query<MemberRow>(`select ${MEMBER_COLUMNS} from members m where lower(m.userid) = any($1)`, [userids.map((u) => u.toLowerCase())])
  return new Map(rows.map((r) => [r.userid.toLowerCase(), memberFromRow(r)]))
}

export async function departmentNames(db: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map()
  const rows = await db.query<{ id: number; name: string }>('select id, name from departments where id = any($1)', [ids])
  return new Map(rows.map((r) => [r.id, r.name]))
}

export async function memberNames(db: Queryable, userids: string[]): Promise<Map<string, string>> {
  if (!userids.length) return new Map()
  const rows = await db.query<{ userid: string; name: string }>('select userid, name from members where lower(userid) = any($1)', [userids.map((u) => u.toLowerCase())])
  return new Map(rows.map((r) => [r.userid.toLowerCase(), r.name]))
}
