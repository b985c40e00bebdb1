import type { Role, RoleGrant } from '@portal/shared'
import type { Queryable } from '../db'

// The `role_grants` table (migrations 001, 005): all of its SQL is here, except the directory's
// "active members holding a role" (a members query, so it lives with the members). A grant gives
// `role` to a member (target = userid) or to a department and its sub-departments (target = id).

export interface StoredGrant {
  kind: RoleGrant['kind']
  target: string
  role: RoleGrant['role']
  grantedBy: string
  grantedAt: Date
}

/** Every grant, by role, kind, newest first. */
export async function listGrants(db: Queryable): Promise<StoredGrant[]> {
  const rows = await db.query<{ kind: RoleGrant['kind']; target: string; role: RoleGrant['role']; granted_by: string; granted_at: Date }>(
    'select kind, target, role, granted_by, granted_at from role_grants order by role, kind, granted_at desc, target',
  )
  return rows.map((r) => ({ kind: r.kind, target: r.target, role: r.role, grantedBy: r.granted_by, grantedAt: r.granted_at }))
}

/** Adds a grant; false when it was already there. */
export async function insertGrant(db: Queryable, g: { kind: RoleGrant['kind']; target: string; role: RoleGrant['role']; grantedBy: string; at: Date }): Promise<boolean> {
  const added = await db.query(
    'insert into role_grants (kind, target, role, granted_by, granted_at) values ($1, $2, $3, $4, $5) on conflict do nothing returning 1',
    [g.kind, g.target, g.role, g.grantedBy, g.at],
  )
  return added.length > 0
}

/** Locks the admin grants until the caller's transaction ends (concurrent revocations take turns). */
export async function lockAdminGrants(db: Queryable): Promise<void> {
  await db.query("select 1 from role_grants where role = 'admin' for update")
}

/** Removes a grant (target in any case); returns the target as it was stored, or undefined when there was none. */
export async function deleteGrant(db: Queryable, g: { kind: RoleGrant['kind']; target: string; role: RoleGrant['role'] }): Promise<string | undefined> {
  const removed = await db.query<{ target: string }>('delete from role_grants where kind = $1 and lower(target) = lower($2) and role = $3 returning target', [g.kind, g.target, g.role])
  return removed[0]?.target
}

/**
 * The roles granted to `userid` (any case) or to one of `departmentIds` or their ancestors. The
 * ancestors are walked in the same statement, over the directory's `departments`.
 */
export async function grantedRoles(db: Queryable, userid: string, departmentIds: number[]): Promise<Role[]> {
  const rows = await db.query<{ role: Role }>(
    `with recursive up(id) as (
       select x from unnest($2::int[]) as x
       union
       select d.parent_id from departments d join up on d.id = up.id where d.parent_id is not null and d.parent_id <> 0
     )
     select distinct role from role_grants
      where (kind = 'member' and lower(target) = lower($1))
         or (kind = 'department' and target in (select id::text from up))`,
    [userid, departmentIds],
  )
  return rows.map((r) => r.role)
}
