import type { Queryable } from '../db'

/** A member as this app keeps it (WeCom's `status`: 1 active, 2 disabled, 4 not activated, 5 quit). */
export interface MemberRecord {
  userid: string
  name: string
  alias?: string
  position: string
  avatar?: string
  departmentIds: number[]
  mainDepartment?: number
  status: number
}

export interface DepartmentRecord {
  id: number
  name: string
  parentId?: number
  order: number
}

type MemberRow = {
  userid: string
  name: string
  alias: string | null
  position: string
  avatar: string | null
  department_ids: number[]
  main_department: number | null
  status: number
}

export async function getMember(db: Queryable, userid: string): Promise<MemberRecord | null> {
  const rows = await db.query<MemberRow>(
    'select userid, name, alias, position, avatar, department_ids, main_department, status from members where userid = $1',
    [userid],
  )
  const r = rows[0]
  return r
    ? {
        userid: r.userid,
        name: r.name,
        alias: r.alias ?? undefined,
        position: r.position,
        avatar: r.avatar ?? undefined,
        departmentIds: r.department_ids,
        mainDepartment: r.main_department ?? undefined,
        status: r.status,
      }
    : null
}

export async function upsertMember(db: Queryable, m: MemberRecord): Promise<void> {
  await db.query(
    `insert into members (userid, name, alias, position, avatar, department_ids, main_department, status, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, now())
     on conflict (userid) do update set name = $2, alias = $3, position = $4, avatar = $5, department_ids = $6,
       main_department = $7, status = $8, updated_at = now()
     where (members.name, members.alias, members.position, members.avatar, members.department_ids, members.main_department, members.status)
       is distinct from ($2, $3, $4, $5, $6, $7, $8)`,
    [m.userid, m.name, m.alias ?? null, m.position, m.avatar ?? null, m.departmentIds, m.mainDepartment ?? null, m.status],
  )
}

export async function upsertDepartment(db: Queryable, d: DepartmentRecord): Promise<void> {
  await db.query(
    `insert into departments (id, name, parent_id, sort_order, updated_at) values ($1, $2, $3, $4, now())
     on conflict (id) do update set name = $2, parent_id = $3, sort_order = $4, updated_at = now()
     where (departments.name, departments.parent_id, departments.sort_order) is distinct from ($2, $3, $4)`,
    [d.id, d.name, d.parentId ?? null, d.order],
  )
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
