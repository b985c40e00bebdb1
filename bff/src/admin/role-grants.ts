import type { RoleGrant, RoleGrantInput, RolesView } from '@portal/shared'
import type { Config } from '../config'
import type { Db, Queryable } from '../db'
import { deleteGrant, insertGrant, listGrants, lockAdminGrants } from '../auth/role-grant-store'
import { listAdmins } from '../auth/roles'
import { currentDepartment, departmentNames, memberNames, memberStandings } from '../directory/member-store'
import { ApiFailure } from '../errors'
import { writeAudit } from './audit'

/** ADMIN_USERIDS admins show as grants too, marked `env` (they cannot be revoked here). */
const ENV_GRANTER = 'ADMIN_USERIDS'

export async function rolesView(db: Queryable, config: Pick<Config, 'roles' | 'locked'>): Promise<RolesView> {
  const rows = await listGrants(db)
  const userids = [...config.roles.adminUserids, ...rows.filter((r) => r.kind === 'member').map((r) => r.target)]
  const people = await memberNames(db, userids)
  const departments = await departmentNames(db, rows.filter((r) => r.kind === 'department').map((r) => Number(r.target)))
  const env: RoleGrant[] = config.roles.adminUserids.map((u) => ({
    kind: 'member',
    target: u,
    targetName: people.get(u) ?? u,
    role: 'admin',
    grantedBy: ENV_GRANTER,
    grantedAt: '',
    source: 'env',
  }))
  const stored: RoleGrant[] = rows.map((r) => ({
    kind: r.kind,
    target: r.target,
    targetName: (r.kind === 'member' ? people.get(r.target.toLowerCase()) : departments.get(Number(r.target))) ?? r.target,
    role: r.role,
    grantedBy: r.grantedBy,
    grantedAt: new Date(r.grantedAt).toISOString(),
    source: 'stored',
  }))
  return { policy: config.roles.policy, policyLocked: !!config.locked.rolePolicy, grants: [...env, ...stored] }
}

/** The grant's target as the directory spells it, with a name for the audit log. */
async function resolveTarget(db: Queryable, kind: RoleGrantInput['kind'], target: string): Promise<{ target: string; label: string }> {
  if (kind === 'member') {
    const [m] = await memberStandings(db, [target.trim()])
    if (!m) throw new ApiFailure('bad_request', `No member "${target}" in the synced directory.`, { fields: { target: 'unknown member' }, hint: 'Run a directory sync if they joined recently.' })
    return { target: m.userid, label: `${m.name} (${m.userid})` }
  }
  const id = /^\d{1,10}$/.test(target.trim()) ? Number(target.trim()) : NaN
  const d = Number.isSafeInteger(id) ? await currentDepartment(db, id) : undefined
  if (!d) throw new ApiFailure('bad_request', `No department "${target}" in the synced directory.`, { fields: { target: 'unknown department' } })
  return { target: String(d.id), label: `${d.name} (department ${d.id})` }
}

/** Adds a grant; granting what is already granted changes nothing (and logs nothing). */
export async function grantRole(db: Db, input: RoleGrantInput, actor: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const { target, label } = await resolveTarget(tx, input.kind, input.target)
    const added = await insertGrant(tx, { kind: input.kind, target, role: input.role, grantedBy: actor, at: now })
    if (added) await writeAudit(tx, { actor, action: 'grant', target: label, detail: input.role, at: now })
  })
}

/**
 * Removes a grant, unless that would leave nobody able to administer the app: at least one active
 * admin (ADMIN_USERIDS or a grant) must remain, which also covers an admin revoking their own.
 */
export async function revokeRole(db: Db, roles: Config['roles'], input: RoleGrantInput, actor: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    // Concurrent revocations of the last two admin grants must not both pass the check below.
    if (input.role === 'admin') await lockAdminGrants(tx)
    const target = await deleteGrant(tx, { kind: input.kind, target: input.target.trim(), role: input.role })
    if (target === undefined) {
      if (input.kind === 'member' && input.role === 'admin' && roles.adminUserids.includes(input.target.trim().toLowerCase())) {
        throw new ApiFailure('conflict', 'This admin comes from ADMIN_USERIDS.', { hint: 'Remove them from ADMIN_USERIDS and restart to revoke.' })
      }
      throw new ApiFailure('not_found', 'No such grant.')
    }
    if (input.role === 'admin' && !(await listAdmins(tx, roles, 1)).length) {
      throw new ApiFailure('conflict', 'This is the last admin: nobody could administer the app without it.', {
        hint: 'Grant admin to someone else first (or set ADMIN_USERIDS).',
      })
    }
    const label =
      input.kind === 'member'
        ? `${(await memberNames(tx, [target])).get(target.toLowerCase()) ?? target} (${target})`
        : `${(await departmentNames(tx, [Number(target)])).get(Number(target)) ?? target} (department ${target})`
    await writeAudit(tx, { actor, action: 'revoke', target: label, detail: input.role, at: now })
  })
}
