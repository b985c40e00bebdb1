import { endpoints, type AppInfo, type Me } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import { jsonBytes } from '../http/json-bytes'
import type { Principal } from './principal-cache'
import { requireMember, type MemberGateNeeds } from './require-member'

export type MeRoutesNeeds = MemberGateNeeds

export function meRoutes(deps: MeRoutesNeeds) {
  const { config, settings } = deps
  // Rebuilt when what it says changes: the admin console may switch mode-relevant values live.
  let app: { key: string; body: AppInfo } | undefined
  const appInfo = (): AppInfo => {
    const [corpId, agentId, timeZone] = [settings.get('corpId'), settings.get('agentId'), settings.get('timeZone')]
    const key = `${corpId}\n${agentId}\n${timeZone}`
    if (app?.key !== key) {
      app = {
        key,
        body: {
          mode: config.mode,
          corpId,
          agentId,
          ...(config.mode === 'sandbox' ? { sandboxUrl: config.sandbox.url } : {}),
          embedOrigins: config.embedOrigins,
          timeZone,
        },
      }
    }
    return app.body
  }
  // A principal is immutable while cached, so its /api/me body is built once per (re)load.
  const bodies = new WeakMap<Principal, Uint8Array<ArrayBuffer>>()
  return new Hono<AppEnv>()
    .get(endpoints.app.path, (c) => c.json(appInfo()))
    .get(endpoints.me.path, requireMember(deps), (c) => {
      const p = c.get('principal')
      let body = bodies.get(p)
      if (!body) bodies.set(p, (body = jsonBytes(toMe(p))))
      return c.body(body, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
    })
}

function toMe({ member: m, session: s, roles, departmentNames }: Principal): Me {
  const ref = (id: number) => ({ id, name: departmentNames.get(id) ?? String(id) })
  return {
    userid: m.userid,
    name: m.name,
    ...(m.alias ? { alias: m.alias } : {}),
    position: m.position,
    ...(m.avatar ? { avatar: m.avatar } : {}),
    mainDepartment: m.mainDepartment !== undefined ? ref(m.mainDepartment) : null,
    departments: m.departments.map((x) => ref(x.departmentId)),
    roles,
    corpId: s.corpId,
    session: {
      createdAt: s.createdAt.toISOString(),
      expiresAt: new Date(Math.min(s.idleExpiresAt.getTime(), s.absoluteExpiresAt.getTime())).toISOString(),
      absoluteExpiresAt: s.absoluteExpiresAt.toISOString(),
    },
  }
}
