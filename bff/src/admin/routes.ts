import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import { requireMember, requireRole } from '../auth/require-member'
import type { Deps } from '../deps'
import { doctorRoutes } from './doctor/routes'
import { roleRoutes } from './role-routes'
import { settingsRoutes } from './settings/routes'
import { setupRoutes } from './setup-routes'
import { syncRoutes } from './sync-routes'

/** The admin console's API: every path under /api/admin needs the `admin` role. */
export function adminRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .use('/api/admin/*', requireMember(deps), requireRole('admin'))
    .route('/', setupRoutes(deps))
    .route('/', settingsRoutes(deps))
    .route('/', doctorRoutes(deps))
    .route('/', roleRoutes(deps))
    .route('/', syncRoutes(deps))
}
