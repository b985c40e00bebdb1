import { randomBytes } from 'node:crypto'
import type { Hono } from 'hono'
import { redeemCode } from './codes'
import { wecomError, wecomOk } from './errors'
import { USER_TICKET_TTL_S } from './options'
import { findMember } from './org-index'
import type { IssuedCode, SandboxState } from './state'
import { canSeeMember, visibilityFor } from './visibility'

/** GET /cgi-bin/auth/getuserinfo?access_token&code (wecom-api.md §2.2, §3.1). */
export function registerAuth(app: Hono, s: SandboxState): void {
  app.get('/cgi-bin/auth/getuserinfo', (c) => {
    const value = c.req.query('code')
    if (!value) return wecomError(c, s, 41008)
    const result = redeemCode(s, value)
    if (!result.ok) return wecomError(c, s, result.errcode)
    const { identity } = result.code
    if (identity.kind === 'external') return wecomOk(c, { openid: identity.openid })
    const ticket = userTicketFor(s, result.code)
    return wecomOk(c, ticket ? { userid: identity.userid, user_ticket: ticket } : { userid: identity.userid })
  })
}

/**
 * user_ticket only for in-client snsapi_privateinfo and members in the app's visible range
 * (wecom-api.md §2.2); web (QR) login never carries one.
 */
function userTicketFor(s: SandboxState, code: IssuedCode): string | undefined {
  if (code.flow !== 'oauth' || code.scope !== 'snsapi_privateinfo' || code.identity.kind !== 'member') return undefined
  const member = findMember(s.directory, code.identity.userid)
  if (!member || !canSeeMember(visibilityFor(s, 'agent'), member)) return undefined
  const ticket = randomBytes(32).toString('base64url')
  s.userTickets.set(ticket, { userid: code.identity.userid, expiresAt: s.now() + USER_TICKET_TTL_S * 1000 })
  return ticket
}
