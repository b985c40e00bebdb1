import { Hono } from 'hono'
import type { AppEnv } from '../../app-env'
import type { Deps } from '../../deps'

// STUB — replaced by the admin console work. Mounted behind requireMember + requireRole('admin').
export function settingsRoutes(_deps: Deps) {
  return new Hono<AppEnv>()
}
