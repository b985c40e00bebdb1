import { adminEndpoints, auditEntrySchema, roleGrantInputSchema, type AuditEntry } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import type { PrincipalCache } from '../auth/principal-cache'
import { rolePolicy } from '../auth/roles'
import type { RuntimeSettings } from './settings/runtime'
import type { Config } from '../config'
import type { Db } from '../db'
import { ApiFailure } from '../errors'
import { invalidFields, parseBody } from '../http/parse-body'
import { intParam } from '../http/query-params'
import { listAudit } from './audit'
import { grantRole, revokeRole, rolesView } from './role-grants'

export interface RoleRoutesNeeds {
  config: Config
  db: Db
  now: () => number
  principals: Pick<PrincipalCache, 'clear'>
  settings: Pick<RuntimeSettings, 'get'>
}

const ACTIONS = new Set<string>(auditEntrySchema.shape.action.options)

/** Roles and the audit log. Mounted behind requireMember + requireRole('admin'). */
export function roleRoutes(deps: RoleRoutesNeeds) {
  const { config, db } = deps
  // Grants change roles: signed-in members must not keep old ones for the cache's lifetime.
  const changed = () => deps.principals.clear()
  const view = () => rolesView(db, { roles: rolePolicy(config, deps.settings), locked: config.locked })
  return new Hono<AppEnv>()
    .get(adminEndpoints.adminRoles.path, async (c) => c.json(await view()))

    .post(adminEndpoints.adminGrantRole.path, async (c) => {
      const input = await parseBody(c, roleGrantInputSchema)
      await grantRole(db, input, c.get('member').userid, new Date(deps.now()))
      changed()
      return c.json(await view())
    })

    .delete(adminEndpoints.adminRevokeRole.path, async (c) => {
      const query = { kind: c.req.query('kind'), target: c.req.query('target'), role: c.req.query('role') }
      const parsed = roleGrantInputSchema.safeParse(query)
      if (!parsed.success) throw invalidFields(parsed.error.issues, query)
      await revokeRole(db, rolePolicy(config, deps.settings), parsed.data, c.get('member').userid, new Date(deps.now()))
      changed()
      return c.json(await view())
    })

    .get(adminEndpoints.adminAudit.path, async (c) => {
      const limit = intParam(c.req.query('limit'), 'limit', 50, 1, 200)
      const before = intParam(c.req.query('before'), 'before', undefined, 1, Number.MAX_SAFE_INTEGER)
      const raw = c.req.query('action')?.split(',').map((a) => a.trim()).filter(Boolean)
      const bad = raw?.find((a) => !ACTIONS.has(a))
      if (bad) throw new ApiFailure('bad_request', `Unknown action "${bad}".`, { fields: { action: `one or more of: ${[...ACTIONS].join(', ')}` } })
      const items = await listAudit(db, { limit, before, actions: raw?.length ? (raw as AuditEntry['action'][]) : undefined })
      c.header('Cache-Control', 'no-store')
      return c.json({ items })
    })
}
