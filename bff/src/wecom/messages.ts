import { WeComError } from './errors'
import type { WeComClient } from './types'

// cgi-bin/message/send (https://developer.work.weixin.qq.com/document/path/90236): the body, built byte-stable, and the answer, parsed.

export const MESSAGE_SEND_PATH = '/cgi-bin/message/send'
/** duplicate_check_interval may be at most 4 hours (https://developer.work.weixin.qq.com/document/path/90236). */
export const MAX_DUPLICATE_CHECK_SECONDS = 14_400
/** touser takes at most 1000 userids (https://developer.work.weixin.qq.com/document/path/90236; 40031/40032 beyond). */
export const MAX_TOUSER = 1000
/** "UserID、部门ID、标签ID全部非法或无权限" (81013 in https://developer.work.weixin.qq.com/document/path/90313). */
const NOBODY_VALID = 81013

/** The part of a message that varies by type (touser, agentid and the checks are added here). */
export type AppMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }
  | { msgtype: 'template_card'; template_card: TemplateCard }

/**
 * The button_interaction template card we send (https://developer.work.weixin.qq.com/document/path/90236):
 * task_id is unique per app ([0-9A-Za-z_-@], ≤128 bytes); a button of type 1 opens its url, and
 * one with a key calls back (template_card_event) with that key as EventKey.
 */
export interface TemplateCard {
  card_type: 'button_interaction'
  task_id: string
  source?: { desc: string }
  main_title: { title: string; desc?: string }
  sub_title_text?: string
  horizontal_content_list?: { keyname: string; value: string }[]
  card_action: { type: 1; url: string }
  button_list: { type: 0 | 1; text: string; style?: number; key?: string; url?: string }[]
}

export interface SendMessageInput {
  agentId: string | number
  touser: readonly string[]
  message: AppMessage
  /** 1 … MAX_DUPLICATE_CHECK_SECONDS: identical JSON within this many seconds is delivered once. */
  duplicateCheckSeconds: number
}

export type SendMessageResult =
  | {
      kind: 'sent'
      /** For message/recall; null only if WeCom leaves it out. */
      msgid: string | null
      /** Named recipients WeCom would not deliver to (lower-cased by WeCom); the others got it. */
      invaliduser: string[]
      /** Named recipients without an interface licence: not delivered. */
      unlicenseduser: string[]
      /** Interactive template cards only: updates the card once, within 72 h. */
      responseCode: string | null
    }
  | {
      /** 81013: every recipient was invalid or outside the visible range; nothing was sent. */
      kind: 'nobody-valid'
      errmsg: string
      /** We only ever name users, so all of them (WeCom does not give the list back through the client). */
      invaliduser: string[]
    }

/**
 * The exact body for message/send. Byte-stable: the same input always gives the same JSON text
 * (fixed top-level order, payload keys sorted), because WeCom's duplicate check compares the
 * request JSON, and a resend after a crash must be recognised as the same message.
 */
export function messageSendBody(input: SendMessageInput): Record<string, unknown> {
  if (input.touser.length < 1 || input.touser.length > MAX_TOUSER) throw new RangeError(`touser: 1 to ${MAX_TOUSER} userids, got ${input.touser.length}`)
  for (const u of input.touser) if (!u || u.includes('|')) throw new RangeError(`touser: invalid userid "${u}"`)
  const seconds = input.duplicateCheckSeconds
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_DUPLICATE_CHECK_SECONDS) {
    throw new RangeError(`duplicateCheckSeconds: 1 to ${MAX_DUPLICATE_CHECK_SECONDS}, got ${seconds}`)
  }
  const agentid = Number(input.agentId)
  if (!Number.isSafeInteger(agentid) || agentid <= 0) throw new RangeError(`agentId: expected digits, got "${input.agentId}"`)
  const { msgtype } = input.message
  const payload = (input.message as Record<string, unknown>)[msgtype]
  if (typeof payload !== 'object' || payload === null) throw new TypeError(`message: no "${msgtype}" payload`)
  return {
    touser: input.touser.join('|'),
    msgtype,
    agentid,
    [msgtype]: sortedKeys(payload),
    enable_duplicate_check: 1,
    duplicate_check_interval: seconds,
  }
}

/**
 * Sends one app message. 81013 is an answer about the recipients, not a failure of the call, so
 * it comes back as `nobody-valid`; every other errcode throws WeComError, and transport problems
 * WeComTransportError, as for any client call.
 */
export async function sendMessage(wecom: Pick<WeComClient, 'post'>, input: SendMessageInput): Promise<SendMessageResult> {
  const body = messageSendBody(input)
  let res: Record<string, unknown>
  try {
    res = await wecom.post<Record<string, unknown>>(MESSAGE_SEND_PATH, body)
  } catch (e) {
    if (e instanceof WeComError && e.errcode === NOBODY_VALID) {
      return { kind: 'nobody-valid', errmsg: e.errmsg, invaliduser: input.touser.map((u) => u.toLowerCase()) }
    }
    throw e
  }
  return {
    kind: 'sent',
    msgid: typeof res.msgid === 'string' && res.msgid ? res.msgid : null,
    invaliduser: splitIds(res.invaliduser),
    unlicenseduser: splitIds(res.unlicenseduser),
    responseCode: typeof res.response_code === 'string' && res.response_code ? res.response_code : null,
  }
}

export const UPDATE_TEMPLATE_CARD_PATH = '/cgi-bin/message/update_template_card'

/**
 * message/update_template_card (https://developer.work.weixin.qq.com/document/path/94888): turns
 * the card's buttons into one grey, untappable button reading `replaceName`, for `userids` only.
 * The response_code is single use and lasts 72 h; a spent or expired one is errcode 60140
 * (https://developer.work.weixin.qq.com/document/path/90313), thrown as WeComError like any other.
 */
export async function updateTemplateCard(wecom: Pick<WeComClient, 'post'>, input: { agentId: string | number; userids: readonly string[]; responseCode: string; replaceName: string }): Promise<void> {
  const agentid = Number(input.agentId)
  if (!Number.isSafeInteger(agentid) || agentid <= 0) throw new RangeError(`agentId: expected digits, got "${input.agentId}"`)
  await wecom.post(UPDATE_TEMPLATE_CARD_PATH, { userids: [...input.userids], agentid, response_code: input.responseCode, button: { replace_name: input.replaceName } })
}

/** "无效的response_code" — spent or past its 72 h (https://developer.work.weixin.qq.com/document/path/90313). */
export const RESPONSE_CODE_INVALID = 60140

function splitIds(v: unknown): string[] {
  return typeof v === 'string' ? v.split('|').filter(Boolean) : []
}

/** A copy with object keys sorted at every depth (arrays keep their order). */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys)
  if (typeof v !== 'object' || v === null) return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys((v as Record<string, unknown>)[k])
  return out
}
