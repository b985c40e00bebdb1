import { randomBytes } from 'node:crypto'
import type { Hono } from 'hono'
import { callerApp } from '../tickets/caller-app'
import { readJsonObject, WRONG_JSON } from '../cgi-body'
import { redeemCode } from './codes'
import { wecomError, wecomOk } from '../errors'
import { USER_TICKET_TTL_S } from '../options'
import { findMember } from '../directory/org-index'
import { privateInfoFor } from './private-info'
import type { IssuedCode, SandboxState } from '../state'
import { canSeeMember, visibilityFor } from '../directory/visibility'

const DETAIL_PATH = '/cgi-bin/auth/getuserdetail'

/** GET /cgi-bin/auth/getuserinfo?access_token&code (https://developer.work.weixin.qq.com/document/path/91023); POST auth/getuserdetail (https://developer.work.weixin.qq.com/document/path/95833). */
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

  /**
   * 获取访问用户敏感信息 (https://developer.work.weixin.qq.com/document/path/95833): POST
   * {"user_ticket"} with the app's token. The ticket lasts 1,800 s (84014 after, 84015 for one
   * this app never issued, https://developer.work.weixin.qq.com/document/path/90313), and the
   * member must still be in the app's visible range. gender is a string; without the member's
   * agreement WeCom answers "0" and the default avatar, and no mobile/email/biz_mail/address.
   */
  app.all(DETAIL_PATH, async (c) => {
    if (c.req.method !== 'POST') return wecomError(c, s, 40058, 'invalid Request Parameter, POST required')
    const body = await readJsonObject(c)
    if (body === undefined) return wecomError(c, s, 40058, WRONG_JSON)
    const value = body.user_ticket
    if (typeof value !== 'string' || value === '') return wecomError(c, s, 40058, 'invalid Request Parameter, user_ticket missing')
    const ticket = s.userTickets.get(value)
    // The contact-sync secret is not the app the ticket was issued to.
    if (!ticket || callerApp(c, s) !== 'agent') return wecomError(c, s, 84015)
    if (s.now() >= ticket.expiresAt) return wecomError(c, s, 84014)
    const member = findMember(s.directory, ticket.userid)
    if (!member || !canSeeMember(visibilityFor(s, 'agent'), member)) return wecomError(c, s, 60011)
    const origin = new URL(c.req.url).origin
    if (!ticket.consented) return wecomOk(c, { userid: member.userid, gender: '0', avatar: `${origin}/sandbox/avatar/default` })
    const p = privateInfoFor(member)
    return wecomOk(c, {
      userid: member.userid,
      gender: p.gender,
      avatar: `${origin}/sandbox/avatar/${encodeURIComponent(member.userid)}`,
      mobile: p.mobile,
      email: p.email,
      biz_mail: `${member.userid}@xinghe.wecom.work`,
      address: p.address,
    })
  })
}

/**
 * user_ticket only for in-client snsapi_privateinfo and members in the app's visible range
 * (https://developer.work.weixin.qq.com/document/path/91023); web (QR) login never carries one (https://developer.work.weixin.qq.com/document/path/98177).
 */
function userTicketFor(s: SandboxState, code: IssuedCode): string | undefined {
  if (code.flow !== 'oauth' || code.scope !== 'snsapi_privateinfo' || code.identity.kind !== 'member') return undefined
  const member = findMember(s.directory, code.identity.userid)
  if (!member || !canSeeMember(visibilityFor(s, 'agent'), member)) return undefined
  pruneTickets(s)
  const ticket = randomBytes(32).toString('base64url')
  s.userTickets.set(ticket, { userid: code.identity.userid, expiresAt: s.now() + USER_TICKET_TTL_S * 1000, consented: code.consented ?? false })
  return ticket
}

/** Tickets are kept in issue order; those expired a day ago need no 84014 any more. */
function pruneTickets(s: SandboxState): void {
  const cutoff = s.now() - 86_400_000
  for (const [value, t] of s.userTickets) {
    if (t.expiresAt > cutoff) break
    s.userTickets.delete(value)
  }
}
