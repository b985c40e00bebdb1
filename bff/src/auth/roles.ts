import type { Role } from '@portal/shared'
import type { Config } from '../config'
import type { Queryable } from '../db'
import { isActive, memberNames, type MemberRecord } from '../directory/member-store'

/**
 * Roles of a member right now: none unless active; `admin` from ADMIN_USERIDS or a grant;
 * `member` for every active member under the default policy, else only by grant (or as admin).
 */
export async function rolesFor(db: Queryable, policy: Config['roles'], m: Pick<MemberRecord, 'userid' | 'status' | 'disabledAt'>): Promise<Role[]> {
  if (!isActive(m)) return []
  const grants = new Set(
    (await db.query<{ role: Role }>("select role from role_grants where kind = 'member' and lower(target) = lower($1)", [m.userid])).map((r) => r.role),
  )
  const admin = policy.adminUserids.includes(m.userid.toLowerCase()) || grants.has('admin')
  const member = admin || policy.policy === 'all-members' || grants.has('member')
  return [...(admin ? (['admin'] as const) : []), ...(member ? (['member'] as const) : [])]
}

/** Whom a member without a role should ask: admin names where we know them, else their userids. */
export async function adminContacts(db: Queryable, policy: Config['roles']): Promise<string[]> {
  const granted = (await db.query<{ target: string }>("select target from role_grants where kind = 'member' and role = 'admin'")).map((r) => r.target.toLowerCase())
  const ids = [...new Set([...policy.adminUserids, ...granted])].slice(0, 5)
  const names = await memberNames(db, ids)
  return ids.map((id) => names.get(id) ?? id)
}
