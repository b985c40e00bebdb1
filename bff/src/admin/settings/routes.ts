import { adminEndpoints, settingsUpdateSchema } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../../app-env'
import { parseBody } from '../../http/parse-body'
import { requestLang } from '../request-lang'
import type { SettingsService } from './service'
import { settingsShapeFailure } from './validate'

export interface SettingsRoutesNeeds {
  settings: Pick<SettingsService, 'view' | 'save'>
}

const NO_STORE = { 'Cache-Control': 'no-store' }

/** GET / PUT /api/admin/settings. Mounted behind requireMember + requireRole('admin'). */
export function settingsRoutes(deps: SettingsRoutesNeeds) {
  return new Hono<AppEnv>()
    .get(adminEndpoints.adminSettings.path, async (c) => c.json(await deps.settings.view(requestLang(c)), 200, NO_STORE))
    .put(adminEndpoints.adminSaveSettings.path, async (c) => {
      const lang = requestLang(c)
      const body = await parseBody(c, settingsUpdateSchema, { invalid: (issues) => settingsShapeFailure(issues, lang) })
      // The service checks the values (formats, locked keys, WeCom itself for new credentials).
      const view = await deps.settings.save(body, c.get('member').userid, lang)
      return c.json(view, 200, NO_STORE)
    })
}
