import { createDbTicketStore } from '../../jssdk/ticket-store'
import { createJsapiTickets, type TicketKind } from '../../wecom'
import { describeFailure } from './describe-error'
import type { DoctorRun } from './doctor-run'
import { L, ok, type Outcome } from './types'

const NAMES: Record<TicketKind, { zh: string; en: string }> = { corp: { zh: '企业票据', en: 'corp ticket' }, agent: { zh: '应用票据', en: 'app ticket' } }

/**
 * Both JS-SDK tickets (https://developer.work.weixin.qq.com/document/path/90506). Through the shared ticket store when the database is
 * open: a stored ticket is reused rather than spending WeCom's ~100 an hour on a check.
 */
export async function checkJsapiTickets(r: DoctorRun): Promise<Outcome> {
  const { db, now, log } = r.ctx
  const tickets = db && createJsapiTickets({ client: r.app, store: createDbTicketStore(db), scope: `${r.ctx.settings.get('corpId')}/${r.ctx.settings.get('agentId')}`, now, logger: log })
  const get = (kind: TicketKind): Promise<unknown> =>
    tickets ? tickets.get(kind) : r.app.get(kind === 'corp' ? '/cgi-bin/get_jsapi_ticket' : '/cgi-bin/ticket/get', kind === 'corp' ? {} : { type: 'agent_config' })
  for (const kind of ['corp', 'agent'] as const) {
    try {
      await get(kind)
    } catch (e) {
      return describeFailure(e, L(`获取 JS-SDK ${NAMES[kind].zh}`, `Getting the JS-SDK ${NAMES[kind].en}`), r.ctx)
    }
  }
  return ok(L('企业与应用的 JS-SDK 票据都已取得。', 'Both JS-SDK tickets (corp and app) are available.'))
}
