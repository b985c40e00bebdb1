import type { Role } from '@portal/shared'
import type { RuntimeSettings } from '../admin/settings/runtime'
import type { Config } from '../config'
import type { Queryable } from '../db'
import { activeMembersWithRole, isActive, memberStandings, type MemberRecord } from '../directory/member-store'
import { grantedRoles } from './role-grant-store'

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
  const grants = new Set(await grantedRoles(db, m.userid, m.departments.map((d) => d.departmentId)))
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
  const known = new Map((await memberStandings(db, env)).map((m) => [m.userid.toLowerCase(), m]))
  const out = new Map<string, string>()
  for (const id of env) {
    const m = known.get(id)
    if (!m) out.set(id, id)
    else if (isActive(m)) out.set(id, m.name)
  }
  if (out.size < limit) {
    const granted = await activeMembersWithRole(db, 'admin', limit + out.size)
    for (const r of granted) if (!out.has(r.userid.toLowerCase())) out.set(r.userid.toLowerCase(), r.name)
  }
  return [...out].slice(0, limit).map(([userid, name]) => ({ userid, name }))
}

/** Whom a member without a role should ask: admin names where we know them, else their userids. */
export async function adminContacts(db: Queryable, policy: Config['roles']): Promise<string[]> {
  return (await listAdmins(db, policy, 5)).map((a) => a.name)
}
