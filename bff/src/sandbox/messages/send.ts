import { randomBytes } from 'node:crypto'
import type { Context, Hono } from 'hono'
import { callerApp } from '../tickets/caller-app'
import { readJsonObject, WRONG_JSON } from '../cgi-body'
import { formatErrmsg, wecomError, wecomOk } from '../errors'
import { callerIp } from '../client-ip'
import { checkContent } from './content'
import { resolveRecipients } from './recipients'
import { issueResponseCode, keepMessage, keepSend, takeMemberSlot } from './store'
import { isInteractive } from './template-card'
import type { SandboxState } from '../state'

const PATH = '/cgi-bin/message/send'
/** duplicate_check_interval: default 1800 s, at most 4 hours (https://developer.work.weixin.qq.com/document/path/90236). */
const DEFAULT_DUP_INTERVAL_S = 1800
const MAX_DUP_INTERVAL_S = 4 * 3600

/**
 * POST message/send (https://developer.work.weixin.qq.com/document/path/90236). Checks run agentid → content → recipients; then the
 * duplicate check, then delivery into each member's inbox (GET /sandbox/inbox/:userid).
 * Recipients over the per-member frequency limit are dropped silently, as on WeCom, and recorded.
 */
export function registerMessageSend(app: Hono, s: SandboxState): void {
  app.all(PATH, async (c) => {
    if (c.req.method !== 'POST') return wecomError(c, s, 40058, 'invalid Request Parameter, POST required')
    if (callerApp(c, s) === 'contact') return wecomError(c, s, 48002, 'api forbidden: the contact-sync secret cannot send app messages')
    const body = await readJsonObject(c)
    if (body === undefined) return wecomError(c, s, 40058, WRONG_JSON)
    const agentErr = checkAgentId(s, body.agentid)
    if (agentErr) return wecomError(c, s, agentErr.errcode, agentErr.errmsg)
    const safe = body.safe ?? 0
    if (safe !== 0 && safe !== 1 && safe !== 2) return wecomError(c, s, 40058, 'invalid Request Parameter, safe')
    const content = checkContent(body)
    if (!content.ok) return wecomError(c, s, content.errcode, content.errmsg)
    // Interactive cards call the app back, so the app needs a callback URL: "应用需配置回调url" (43012,
    // https://developer.work.weixin.qq.com/document/path/90313).
    const interactive = content.payload.msgtype === 'template_card' && isInteractive(content.payload.template_card.card_type)
    if (interactive && !s.settings.callback) return wecomError(c, s, 43012, 'agent need callback url: set 接收消息 URL first')
    // "news消息不支持保密消息类型" (40074).
    if (content.payload.msgtype === 'news' && safe === 1) return wecomError(c, s, 40074, 'news message does not support safe')
    const dupInterval = duplicateInterval(body)
    if (dupInterval === undefined) return wecomError(c, s, 40058, `invalid Request Parameter, duplicate_check_interval (1–${MAX_DUP_INTERVAL_S})`)
    const recipients = resolveRecipients(s, body)
    if (!recipients.ok) return wecomError(c, s, recipients.errcode, recipients.errmsg)
    const r = recipients.value
    const invalid = { invaliduser: r.invaliduser.join('|'), invalidparty: r.invalidparty.join('|'), invalidtag: r.invalidtag.join('|') }
    if (r.allInvalid) return allInvalid(c, s, invalid)

    const now = s.now()
    const dupKey = dupInterval > 0 ? JSON.stringify(body) : undefined
    if (dupKey) {
      const seen = s.messages.duplicates.get(dupKey)
      if (seen && seen.until > now) {
        keepSend(s.messages, { msgid: String(seen.response.msgid), time: Math.floor(now / 1000), msgtype: content.payload.msgtype, delivered: [], dropped: [], unlicensed: [], duplicateOf: String(seen.response.msgid) })
        return wecomOk(c, seen.response)
      }
    }

    const msgid = randomBytes(48).toString('base64url')
    const unlicensed = new Set(s.settings.unlicensedUsers)
    const record = { msgid, time: Math.floor(now / 1000), msgtype: content.payload.msgtype, delivered: [] as string[], dropped: [] as string[], unlicensed: [] as string[] }
    for (const m of r.members) {
      if (unlicensed.has(m.userid)) {
        record.unlicensed.push(m.userid)
        continue
      }
      const status = takeMemberSlot(s.messages, m.userid, now) ? 'delivered' : 'dropped'
      record[status].push(m.userid)
      keepMessage(s.messages, { msgid, userid: m.userid, time: record.time, msgtype: content.payload.msgtype, payload: content.payload, safe, status })
    }
    keepSend(s.messages, record)
    // The kept sends are capped: this counts every delivery, for GET /sandbox/admin/stats.
    s.counters.messagesDelivered += record.delivered.length
    // One response_code per call, for the cards of everyone it reached (the update names whom).
    const responseCode =
      interactive && content.payload.msgtype === 'template_card'
        ? { response_code: issueResponseCode(s.messages, { msgid, taskId: content.payload.template_card.task_id ?? '', userids: record.delivered, issuedAt: now }) }
        : {}
    const response = { ...invalid, unlicenseduser: record.unlicensed.join('|'), msgid, ...responseCode }
    if (dupKey) s.messages.duplicates.set(dupKey, { until: now + dupInterval * 1000, response })
    return wecomOk(c, response)
  })
}

/** Missing → 41011, not an integer → 40056, another app's → 301002 (https://developer.work.weixin.qq.com/document/path/90236, https://developer.work.weixin.qq.com/document/path/90313). */
export function checkAgentId(s: SandboxState, raw: unknown): { errcode: number; errmsg: string } | undefined {
  if (raw === undefined || raw === null || raw === '') return { errcode: 41011, errmsg: 'missing agentid' }
  const text = String(raw)
  if ((typeof raw !== 'number' && typeof raw !== 'string') || !/^\d{1,10}$/.test(text)) return { errcode: 40056, errmsg: 'invalid agentid' }
  if (Number(text) !== Number(s.agentId)) return { errcode: 301002, errmsg: 'not allow to operate another agent' }
  return undefined
}

/** 0 = no duplicate check; undefined = a bad interval. */
function duplicateInterval(body: Record<string, unknown>): number | undefined {
  if (body.enable_duplicate_check !== 1) return 0
  const v = body.duplicate_check_interval ?? DEFAULT_DUP_INTERVAL_S
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_DUP_INTERVAL_S ? v : undefined
}

/** 81013 carries the invalid lists too, so the caller can tell whom it named wrongly. */
function allInvalid(c: Context, s: SandboxState, invalid: Record<string, string>): Response {
  return c.json({ errcode: 81013, errmsg: formatErrmsg(s, 81013, 'user & party & tag all invalid', callerIp(c)), ...invalid })
}
