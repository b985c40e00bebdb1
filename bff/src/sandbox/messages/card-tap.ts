import { deliverPlaintext } from '../callbacks/delivery'
import type { CallbackDelivery } from '../callbacks/log'
import { cdata } from '../callbacks/message'
import { issueResponseCode, type InboxMessage } from './store'
import { findMember } from '../directory/org-index'
import type { SandboxState } from '../state'
import type { CardButton } from './template-card'

export type TapResult =
  | { ok: true; button: CardButton; responseCode?: string; delivery: CallbackDelivery | null }
  | { ok: false; status: 404 | 409; reason: string }

/**
 * A member taps a button of a template card in their client. A button with a key calls the app
 * back with template_card_event (https://developer.work.weixin.qq.com/document/path/90240):
 * EventKey, TaskId, CardType and a fresh ResponseCode (for this member's card); a type 1 button
 * then opens its url. A card whose buttons were replaced by an update shows one grey button that
 * does nothing.
 */
export async function tapCardButton(s: SandboxState, userid: string, msgid: string, index: number): Promise<TapResult> {
  const member = findMember(s.directory, userid)
  const m: InboxMessage | undefined = member ? (s.messages.inbox.get(member.userid) ?? []).find((x) => x.msgid === msgid && x.status === 'delivered') : undefined
  if (!member || !m || m.payload.msgtype !== 'template_card') return { ok: false, status: 404, reason: 'no such card in this member’s messages' }
  const card = m.payload.template_card
  const button = card.button_list[index]
  if (!button) return { ok: false, status: 404, reason: `the card has no button ${index}` }
  if (m.replaceName !== undefined) return { ok: false, status: 409, reason: `the card was updated: its button reads “${m.replaceName}” and cannot be tapped` }
  if (!button.key) return { ok: true, button, delivery: null }
  const responseCode = issueResponseCode(s.messages, { msgid, taskId: card.task_id ?? '', userids: [member.userid], issuedAt: s.now() })
  const xml =
    `<xml><ToUserName>${cdata(s.corpId)}</ToUserName><FromUserName>${cdata(member.userid)}</FromUserName>` +
    `<CreateTime>${Math.floor(s.now() / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('template_card_event')}</Event>` +
    `<EventKey>${cdata(button.key)}</EventKey><TaskId>${cdata(card.task_id ?? '')}</TaskId><CardType>${cdata(card.card_type)}</CardType>` +
    `<ResponseCode>${cdata(responseCode)}</ResponseCode><AgentID>${s.agentId}</AgentID></xml>`
  const delivery = await deliverPlaintext(s, xml, { event: 'template_card_event' })
  return { ok: true, button, responseCode, delivery }
}
