import type { Hono } from 'hono'
import { checkAgentId } from './send'
import { callerApp } from '../tickets/caller-app'
import { readJsonObject, WRONG_JSON } from '../cgi-body'
import { wecomError, wecomOk } from '../errors'
import { RESPONSE_CODE_TTL_MS } from './store'
import type { SandboxState } from '../state'
import { checkTemplateCard } from './template-card'

const PATH = '/cgi-bin/message/update_template_card'
/** "无效的response_code：可能是response_code已经过期" (https://developer.work.weixin.qq.com/document/path/90313). */
const INVALID_CODE = 60140

/**
 * POST message/update_template_card (https://developer.work.weixin.qq.com/document/path/94888):
 * with a response_code from message/send or a template_card_event, replaces the buttons of the
 * named members' cards by one grey button (`button.replace_name`) or the whole card
 * (`template_card`). A code works once, for 72 h; unknown, spent and expired codes are all 60140.
 */
export function registerUpdateTemplateCard(app: Hono, s: SandboxState): void {
  app.all(PATH, async (c) => {
    if (c.req.method !== 'POST') return wecomError(c, s, 40058, 'invalid Request Parameter, POST required')
    if (callerApp(c, s) === 'contact') return wecomError(c, s, 48002, 'api forbidden: the contact-sync secret cannot update app messages')
    const body = await readJsonObject(c)
    if (body === undefined) return wecomError(c, s, 40058, WRONG_JSON)
    const agentErr = checkAgentId(s, body.agentid)
    if (agentErr) return wecomError(c, s, agentErr.errcode, agentErr.errmsg)
    if (typeof body.response_code !== 'string' || !body.response_code) return wecomError(c, s, 40058, 'invalid Request Parameter, response_code')
    const button = body.button as { replace_name?: unknown } | undefined
    const replaceName = typeof button?.replace_name === 'string' ? button.replace_name : undefined
    const card = body.template_card === undefined ? undefined : checkTemplateCard(body.template_card)
    if (card && !card.ok) return wecomError(c, s, card.errcode, card.errmsg)
    if (!replaceName && !card) return wecomError(c, s, 40058, 'invalid Request Parameter, button.replace_name or template_card')
    const userids = Array.isArray(body.userids) ? body.userids.filter((u): u is string => typeof u === 'string') : []
    const atall = body.atall === 1
    if (!atall && !userids.length) return wecomError(c, s, 82001, 'all touser & toparty & totag invalid: userids empty')

    const code = s.messages.responseCodes.get(body.response_code)
    const now = s.now()
    if (!code || code.spent || now - code.issuedAt >= RESPONSE_CODE_TTL_MS) return wecomError(c, s, INVALID_CODE, 'invalid response_code')
    code.spent = true
    const wanted = new Set(userids.map((u) => u.toLowerCase()))
    const targets = atall ? code.userids : code.userids.filter((u) => wanted.has(u.toLowerCase()))
    for (const userid of targets) {
      for (const m of s.messages.inbox.get(userid) ?? []) {
        if (m.msgid !== code.msgid || m.payload.msgtype !== 'template_card') continue
        if (card?.ok) m.payload = { msgtype: 'template_card', template_card: card.card }
        else m.replaceName = replaceName
      }
    }
    const reached = new Set(targets.map((u) => u.toLowerCase()))
    return wecomOk(c, { invaliduser: userids.filter((u) => !reached.has(u.toLowerCase())) })
  })
}
