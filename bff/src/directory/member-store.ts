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

/** Department `id` with its name, unless a sync removed it. */
export async function currentDepartment(db: Queryable, id: number): Promise<{ id: number; name: string } | undefined> {
  const [d] = await db.query<{ id: number; name: string }>('select id, name from departments where id = $1 and removed_at is null', [id])
  return d
}

export async function memberNames(db: Queryable, userids: string[]): Promise<Map<string, string>> {
  if (!userids.length) return new Map()
  const rows = await db.query<{ userid: string; name: string }>('select userid, name from members where lower(userid) = any($1)', [userids.map((u) => u.toLowerCase())])
  return new Map(rows.map((r) => [r.userid.toLowerCase(), r.name]))
}

/** What a caller outside the directory needs to know of a member: their spelling of the userid, name and standing. */
export interface MemberStanding {
  userid: string
  name: string
  status: number
  disabledAt?: Date
}

/** The stored members among `userids` (any case), in no particular order. */
export async function memberStandings(db: Queryable, userids: readonly string[]): Promise<MemberStanding[]> {
  if (!userids.length) return []
  const rows = await db.query<{ userid: string; name: string; status: number; disabled_at: Date | null }>(
    'select userid, name, status, disabled_at from members where lower(userid) = any($1)',
    [userids.map((u) => u.toLowerCase())],
  )
  return rows.map((r) => ({ userid: r.userid, name: r.name, status: r.status, disabledAt: r.disabled_at ?? undefined }))
}

/** How many members the directory holds, in any state. */
export async function countMembers(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number | string }>('select count(*) as n from members')
  return Number(row?.n ?? 0)
}

/** Marks the members among `userids` (any case) disabled at `at`, unless they already are; returns how many changed. */
export async function disableMembers(db: Queryable, userids: readonly string[], at: Date): Promise<number> {
  if (!userids.length) return 0
  const rows = await db.query('update members set disabled_at = $2, updated_at = $2 where lower(userid) = any($1) and disabled_at is null returning 1', [userids.map((u) => u.toLowerCase()), at])
  return rows.length
}

/** How many members are active (WeCom status 1, not disabled by a sync or callback). */
export async function countActiveMembers(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number | string }>('select count(*) as n from members where status = 1 and disabled_at is null')
  return Number(row?.n ?? 0)
}

/**
 * Active members holding `role`: granted it by name (rank 0), or members of a granted department
 * or its sub-departments (leaders rank 1, others 2); best rank first, then userid; at most `limit`.
 * The granted departments' subtree is read first, on its own: inside the same statement the
 * planner could not tell how many departments the recursion gives, took it for tens of thousands
 * and read every membership and every member of the corp (at 100,000 members, 50 ms for a
 * department of 43 people, on every sign-in of a member without a role); given the ids, it reads
 * only those departments' memberships by index. Of the members who are not leaders only the
 * first `limit` by userid are read (the whole corp, when the root department is granted).
 */
export async function activeMembersWithRole(db: Queryable, role: string, limit: number): Promise<{ userid: string; name: string }[]> {
  const [down] = await db.query<{ ids: number[] }>(
    `with recursive down(id) as (
       select d.id from departments d join role_grants g on g.kind = 'department' and g.role = $1 and g.target = d.id::text
       union
       select d.id from departments d join down on d.parent_id = down.id where d.removed_at is null
     )
     select coalesce(array_agg(id), '{}') as ids from down`,
    [role],
  )
  return db.query<{ userid: string; name: string }>(
    `with granted as (
       (select m.userid, m.name, 0 as rank from members m
          join role_grants g on g.kind = 'member' and g.role = $2 and lower(g.target) = lower(m.userid)
         where m.status = 1 and m.disabled_at is null)
       union all
       (select m.userid, m.name, 1 from member_departments md join members m on m.userid = md.userid
         where md.department_id = any($3::int[]) and md.is_leader and m.status = 1 and m.disabled_at is null)
       union all
       -- The first by userid of everyone in them (leaders too: they keep their better rank below),
       -- not all of them: enough for the limit, whatever the departments' size.
       (select m.userid, m.name, 2 from members m
         where m.status = 1 and m.disabled_at is null
           and exists (select 1 from member_departments md where md.userid = m.userid and md.department_id = any($3::int[]))
         order by m.userid limit $1)
     )
     select userid, min(name) as name from granted group by userid order by min(rank), userid limit $1`,
    [limit, role, down?.ids ?? []],
  )
}

/** Remembers on the member why the last message did not reach them (shown to admins). */
export async function setNotifyProblem(q: Queryable, userid: string, problem: string, now: Date): Promise<void> {
  await q.query('update members set notify_problem = $2, notify_problem_at = $3 where userid = $1', [userid, problem, now])
}

/** A message reached these members: whatever stood in the way is gone. Writes nothing in the usual case. */
export async function clearNotifyProblem(q: Queryable, userids: readonly string[]): Promise<void> {
  await q.query('update members set notify_problem = null, notify_problem_at = null where userid = any($1::text[]) and notify_problem is not null', [userids])
}
