import { randomBytes } from 'node:crypto'
import type { MessagePayload } from './content'

/** One message as a member's client holds it. */
export interface InboxMessage {
  msgid: string
  userid: string
  /** Unix seconds. */
  time: number
  msgtype: MessagePayload['msgtype']
  /** The body as stored after WeCom's truncation rules, e.g. {textcard:{title,…}}. */
  payload: MessagePayload
  safe: number
  /** dropped = over the per-member frequency limit: WeCom answers ok and silently drops it. */
  status: 'delivered' | 'dropped'
  /** A template card whose buttons update_template_card replaced with one grey button reading this. */
  replaceName?: string
}

/** A response_code WeCom issued (message/send of an interactive card, or a template_card_event). */
export interface ResponseCode {
  msgid: string
  taskId: string
  /** Whose card it may update. */
  userids: string[]
  /** ms */
  issuedAt: number
  spent: boolean
}

/** One successful message/send call. */
export interface SendRecord {
  msgid: string
  time: number
  msgtype: string
  delivered: string[]
  dropped: string[]
  unlicensed: string[]
  /** Set when enable_duplicate_check suppressed this call: the msgid of the original. */
  duplicateOf?: string
}

export interface MessageStore {
  /** Per member, oldest first. */
  inbox: Map<string, InboxMessage[]>
  sends: SendRecord[]
  /** Delivery times (ms) per member within the last hour, for the 30/min and 1000/h limits. */
  recent: Map<string, number[]>
  /** enable_duplicate_check: body → the first answer and when it stops counting as a duplicate. */
  duplicates: Map<string, { until: number; response: Record<string, unknown> }>
  responseCodes: Map<string, ResponseCode>
}

export function createMessageStore(): MessageStore {
  return { inbox: new Map(), sends: [], recent: new Map(), duplicates: new Map(), responseCodes: new Map() }
}

/** "可调用一次…72小时内" (https://developer.work.weixin.qq.com/document/path/94888). */
export const RESPONSE_CODE_TTL_MS = 72 * 3600_000

export function issueResponseCode(store: MessageStore, c: Omit<ResponseCode, 'spent'>): string {
  const code = randomBytes(24).toString('base64url')
  store.responseCodes.set(code, { ...c, spent: false })
  return code
}

/** Per app → one member (https://developer.work.weixin.qq.com/document/path/90236, https://developer.work.weixin.qq.com/document/path/90312). */
export const PER_MEMBER_PER_MINUTE = 30
export const PER_MEMBER_PER_HOUR = 1000
/** Bounds memory in a long-running sandbox; the oldest go first. */
const MAX_KEPT = 1000

/** Takes one slot in the member's minute and hour windows; false = over the limit (nothing taken). */
export function takeMemberSlot(store: MessageStore, userid: string, nowMs: number): boolean {
  const times = (store.recent.get(userid) ?? []).filter((t) => nowMs - t < 3_600_000)
  const lastMinute = times.filter((t) => nowMs - t < 60_000).length
  const ok = lastMinute < PER_MEMBER_PER_MINUTE && times.length < PER_MEMBER_PER_HOUR
  if (ok) times.push(nowMs)
  store.recent.set(userid, times)
  return ok
}

export function keepMessage(store: MessageStore, m: InboxMessage): void {
  const list = store.inbox.get(m.userid) ?? []
  list.push(m)
  if (list.length > MAX_KEPT) list.shift()
  store.inbox.set(m.userid, list)
}

export function keepSend(store: MessageStore, r: SendRecord): void {
  store.sends.push(r)
  if (store.sends.length > MAX_KEPT) store.sends.shift()
}
