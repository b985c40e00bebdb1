import { endpoints, type JssdkSignatures } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import { requireMember, type MemberGateNeeds } from '../auth/require-member'
import type { Logger } from '../log'
import { ApiFailure } from '../errors'
import { createJsapiTickets, signUrl, type JsapiTickets, type WeComClient } from '../wecom'
import { forwardedOrigin } from './forwarded-origin'
import { checkSignUrl } from './sign-url'
import { createDbTicketStore } from './ticket-store'

export interface JssdkRoutesNeeds extends MemberGateNeeds {
  wecom: WeComClient
  log: Logger
}

/**
 * GET /api/jssdk/signatures?url= — config and agentConfig signatures for one page of the H5
 * (ww.register's getConfigSignature / getAgentConfigSignature). Ticket errors are WeComErrors
 * and leave through onError like every other WeCom failure (42012, 45009, 60020…).
 */
export function jssdkRoutes(deps: JssdkRoutesNeeds) {
  const { config } = deps
  const store = createDbTicketStore(deps.db)
  // One cache per (corp, app), read per request: the admin console may change the AgentId live,
  // and tickets belong to the app (https://developer.work.weixin.qq.com/document/path/90506). The database makes instances share them.
  const caches = new Map<string, JsapiTickets>()
  const ticketsFor = (scope: string): JsapiTickets => {
    let t = caches.get(scope)
    if (!t) {
      t = createJsapiTickets({ client: deps.wecom, store, scope, now: deps.now, logger: deps.log })
      caches.set(scope, t)
    }
    return t
  }
  const publicOrigin = new URL(config.publicUrl).origin

  return new Hono<AppEnv>().get(endpoints.jssdkSignatures.path, requireMember(deps), async (c) => {
    const checked = checkSignUrl(c.req.query('url'), {
      publicOrigin,
      basePath: config.basePath,
      forwardedOrigin: config.trustProxy ? forwardedOrigin((name) => c.req.header(name), c.req.url) : undefined,
    })
    if (!checked.ok) throw new ApiFailure('bad_request', checked.message, checked.hint ? { hint: checked.hint } : {})
    const [corpId, agentId] = [deps.settings.get('corpId'), deps.settings.get('agentId')]
    const tickets = ticketsFor(`${corpId}/${agentId}`)
    const [corpTicket, agentTicket] = await Promise.all([tickets.get('corp'), tickets.get('agent')])
    const now = deps.now()
    const body: JssdkSignatures = {
      corpId,
      agentId,
      config: signUrl(corpTicket, checked.url, now),
      agentConfig: signUrl(agentTicket, checked.url, now),
    }
    return c.json(body, 200, { 'Cache-Control': 'no-store' })
  })
}
