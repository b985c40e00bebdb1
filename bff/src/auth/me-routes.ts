import type { AppInfo, Me } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import type { Deps } from '../deps'
import { requireMember } from './require-member'

export function meRoutes(deps: Deps) {
  const { config } = deps
  const app: AppInfo = {
    mode: config.mode,
    corpId: config.wecom.corpId,
    agentId: config.wecom.agentId,
    ...(config.mode === 'sandbox' ? { sandboxUrl: config.sandbox.url } : {}),
  }
  return new Hono<AppEnv>()
    .get('/api/app', (c) => c.json(app))
    .get('/api/me', requireMember(deps), (c) => {
      const m = c.get('member')
      const s = c.get('session')
      const names = c.get('principal').departmentNames
      const ref = (id: number) => ({ id, name: names.get(id) ?? String(id) })
      const body: Me = {
        userid: m.userid,
        name: m.name,
        ...(m.alias ? { alias: m.alias } : {}),
        position: m.position,
        ...(m.avatar ? { avatar: m.avatar } : {}),
        mainDepartment: m.mainDepartment !== undefined ? ref(m.mainDepartment) : null,
        departments: m.departmentIds.map(ref),
        roles: c.get('roles'),
        corpId: s.corpId,
        session: {
          createdAt: s.createdAt.toISOString(),
          expiresAt: new Date(Math.min(s.idleExpiresAt.getTime(), s.absoluteExpiresAt.getTime())).toISOString(),
          absoluteExpiresAt: s.absoluteExpiresAt.toISOString(),
        },
      }
      c.header('Cache-Control', 'no-store')
      return c.json(body)
    })
}
