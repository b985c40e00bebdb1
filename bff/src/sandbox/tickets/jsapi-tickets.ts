import type { Context, Hono } from 'hono'
import { callerApp } from './caller-app'
import { wecomError, wecomOk } from '../errors'
import { getOrIssueTicket, overHourlyLimit, resetTicketState, ticketState, ticketStats, type IssuedTicket, type TicketKind } from './jsapi-ticket-state'
import type { SandboxState } from '../state'

/** Tickets belong to the self-built app: the contact-sync secret's token may not have them. */
const NOT_THE_APP = "api forbidden: jsapi tickets need the app's own access_token"

/**
 * The JS-SDK tickets (https://developer.work.weixin.qq.com/document/path/90506) with their hourly limits, and an admin view of what was
 * issued. The tickets are secrets of the app, but the sandbox plays WeCom, which knows what it
 * issued: tests read them here to check the BFF's signatures, as WeCom's client would.
 */
export function registerJsapiTickets(app: Hono, s: SandboxState): void {
  const answer = (c: Context, kind: TicketKind) => {
    const { ticket, expiresIn } = getOrIssueTicket(s, kind)
    return wecomOk(c, { ticket: ticket.value, expires_in: expiresIn })
  }

  app.get('/cgi-bin/get_jsapi_ticket', (c) => {
    if (callerApp(c, s) !== 'agent') return wecomError(c, s, 48002, NOT_THE_APP)
    if (overHourlyLimit(s, ['corpTicketPerCorp', 'corpTicketPerApp'])) return wecomError(c, s, 45009)
    return answer(c, 'corp')
  })

  app.get('/cgi-bin/ticket/get', (c) => {
    if (c.req.query('type') !== 'agent_config') return wecomError(c, s, 40058, 'invalid Request Parameter, type must be agent_config')
    if (callerApp(c, s) !== 'agent') return wecomError(c, s, 48002, NOT_THE_APP)
    if (overHourlyLimit(s, ['agentTicketPerApp'])) return wecomError(c, s, 45009)
    return answer(c, 'agent_config')
  })

  // The ticket state lives in this module, so it joins the shared admin stats and reset by
  // wrapping them rather than by reaching into admin/routes.ts.
  app.use('/sandbox/admin/stats', async (c, next) => {
    await next()
    if (c.req.method !== 'GET' || !c.res.ok) return
    const body = (await c.res.json()) as object
    c.res = c.json({ ...body, jsapiTickets: ticketStats(s) })
  })
  app.use('/sandbox/admin/reset', async (c, next) => {
    await next()
    if (c.req.method === 'POST' && c.res.ok) resetTicketState(s)
  })

  app.get('/sandbox/admin/tickets', (c) => {
    const t = ticketState(s)
    const view = (i: IssuedTicket | undefined) => (i ? { ticket: i.value, issuedAt: i.issuedAt, expiresAt: i.expiresAt } : null)
    return c.json({
      errcode: 0,
      errmsg: 'ok',
      current: { corp: view(t.current.corp), agent_config: view(t.current.agent_config) },
      issued: t.issued.map((i) => ({ kind: i.kind, ...view(i) })),
    })
  })
}
