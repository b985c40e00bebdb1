import { adminEndpoints, type SettingsUpdate } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../../app-env'
import { readJsonBody } from '../../http/read-body'
import { requestLang } from '../request-lang'
import type { SettingsService } from './service'

export interface SettingsRoutesNeeds {
  settings: Pick<SettingsService, 'view' | 'save'>
}

const NO_STORE = { 'Cache-Control': 'no-store' }

/** GET / PUT /api/admin/settings. Mounted behind requireMember + requireRole('admin'). */
export function settingsRoutes(deps: SettingsRoutesNeeds) {
  return new Hono<AppEnv>()
    .get(adminEndpoints.adminSettings.path, async (c) => c.json(await deps.settings.view(requestLang(c)), 200, NO_STORE))
    .put(adminEndpoints.adminSaveSettings.path, async (c) => {
      const body = await readJsonBody(c)
      // The service checks the body against settingsUpdateSchema with everything else.
      const view = await deps.settings.save(body as SettingsUpdate, c.get('member').userid, requestLang(c))
      return c.json(view, 200, NO_STORE)
    })
}
