import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import { requireMember, requireRole, type MemberGateNeeds } from '../auth/require-member'
import { doctorRoutes, type DoctorRoutesNeeds } from './doctor/routes'
import { roleRoutes, type RoleRoutesNeeds } from './role-routes'
import { settingsRoutes, type SettingsRoutesNeeds } from './settings/routes'
import { setupRoutes, type SetupRoutesNeeds } from './setup-routes'
import { syncRoutes, type SyncRoutesNeeds } from './sync-routes'

export type AdminRoutesNeeds = MemberGateNeeds & DoctorRoutesNeeds & RoleRoutesNeeds & SettingsRoutesNeeds & SetupRoutesNeeds & SyncRoutesNeeds

/** The admin console's API: every path under /api/admin needs the `admin` role. */
export function adminRoutes(deps: AdminRoutesNeeds) {
  return new Hono<AppEnv>()
    .use('/api/admin/*', requireMember(deps), requireRole('admin'))
    .route('/', setupRoutes(deps))
    .route('/', settingsRoutes(deps))
    .route('/', doctorRoutes(deps))
    .route('/', roleRoutes(deps))
    .route('/', syncRoutes(deps))
}
