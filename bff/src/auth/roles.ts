import type { Role } from '@portal/shared'
import type { RuntimeSettings } from '../admin/settings/runtime'
import type { Config } from '../config'
import type { Queryable } from '../db'
import { isActive, type MemberRecord } from '../directory/member-store'

/** Who is admin by env (ADMIN_USERIDS), and the policy in effect now (the console edits it live). */
export const rolePolicy = (config: Pick<Config, 'roles'>, settings: Pick<RuntimeSettings, 'get'>): Config['roles'] => ({
  adminUserids: config.roles.adminUserids,
  policy: settings.get('rolePolicy'),
})

/**
 * Roles of a member right now: none unless active; `admin` from ADMIN_USERIDS or a grant to the
 * member or to one of their departments or its ancestors; `member` likewise, or for every active
 * member under the `all-members` policy. `policy` is read on every call: the console edits it live.
 */
export async function rolesFor(db: Queryable, policy: Config['roles'], m: Pick<MemberRecord, 'userid' | 'status' | 'disabledAt' | 'departments'>): Promise<Role[]> {
  if (!isActive(m)) return []
  const rows = await db.query<{ role: Role }>(
    `with recursive up(id) as (
       select x from unnest($2::int[]) as x
       union
       select d.parent_id from departments d join up on d.id = up.id where d.parent_id is not null and d.parent_id <> 0
     )
     select distinct role from role_grants
      where (kind = 'member' and lower(target) = lower($1))
         or (kind = 'department' and target in (select id::text from up))`,
    [m.userid, m.departments.map((d) => d.departmentId)],
  )
  const grants = new Set(rows.map((r) => r.role))
  const admin = policy.adminUserids.includes(m.userid.toLowerCase()) || grants.has('admin')
  const member = admin || policy.policy === 'all-members' || grants.has('member')
  return [...(admin ? (['admin'] as const) : []), ...(member ? (['member'] as const) : [])]
}

/**
 * Active admins, at most `limit`: ADMIN_USERIDS first (unless the directory knows them as gone;
 * one not synced yet can still sign in), then member grants, then members of granted departments
 * and their sub-departments (leaders first).
 */
export async function listAdmins(db: Queryable, policy: Config['roles'], limit: number): Promise<{ userid: string; name: string }[]> {
  const env = policy.adminUserids
  const known = new Map(
    (
      await db.query<{ userid: string; name: string; status: number; disabled_at: Date | null }>(
        'select userid, name, status, disabled_at from members where lower(userid) = any($1)',
        [env],
      )
    ).map((r) => [r.userid.toLowerCase(), r]),
  )
  const out = new Map<string, string>()
  for (const id of env) {
    const m = known.get(id)
    if (!m) out.set(id, id)
    else if (isActive({ status: m.status, disabledAt: m.disabled_at ?? undefined })) out.set(id, m.name)
  }
  if (out.size < limit) {
    const granted = await db.query<{ userid: string; name: string }>(
      `with recursive down(id) as (
         select d.id from departments d join role_grants g on g.kind = 'department' and g.role = 'admin' and g.target = d.id::text
         union
         select d.id from departments d join down on d.parent_id = down.id where d.removed_at is null
       ),
       admins as (
         select m.userid, m.name, 0 as rank from members m
           join role_grants g on g.kind = 'member' and g.role = 'admin' and lower(g.target) = lower(m.userid)
          where m.status = 1 and m.disabled_at is null
         union all
         select m.userid, m.name, case when md.is_leader then 1 else 2 end from members m
           join member_departments md on md.userid = m.userid and md.department_id in (select id from down)
          where m.status = 1 and m.disabled_at is null
       )
       select userid, min(name) as name from admins group by userid order by min(rank), userid limit $1`,
      [limit + out.size],
    )
    for (const r of granted) if (!out.has(r.userid.toLowerCase())) out.set(r.userid.toLowerCase(), r.name)
  }
  return [...out].slice(0, limit).map(([userid, name]) => ({ userid, name }))
}

/** Whom a member without a role should ask: admin names where we know them, else their userids. */
export async function adminContacts(db: Queryable, policy: Config['roles']): Promise<string[]> {
  return (await listAdmins(db, policy, 5)).map((a) => a.name)
}
