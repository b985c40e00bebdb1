import { isTransient, WeComError, WeComTransportError } from '../wecom'
import type { SendMessageResult } from '../wecom/messages'
import type { NotifyProblem } from './member-problem'

/** What one send attempt means for its row. */
export type Outcome =
  /** Delivered (or recognised by WeCom's duplicate check as already delivered). */
  | { kind: 'sent'; msgid: string | null; invaliduser: string[]; unlicenseduser: string[]; responseCode?: string | null; spent?: SpentCode }
  /** WeCom will not deliver to this member: failed, and the reason kept on the member. */
  | { kind: 'undeliverable'; problem: NotifyProblem; reason: string; msgid: string | null; invaliduser: string[]; unlicenseduser: string[] }
  /** This message can never be sent as it is (40003, 45002, …): failed at once. */
  | { kind: 'rejected'; reason: string; spent?: SpentCode }
  /** Worth another try later (-1, 45009, 45033, 5xx, timeouts, network). */
  | { kind: 'transient'; reason: string; error: unknown }
  /** The app cannot send at all (secret, trusted IP, agentid, API base …): not this row's fault. */
  | { kind: 'blocked'; reason: string }
  /** Held back by the per-member frequency limit until `untilMs`; nothing was sent. */
  | { kind: 'paced'; untilMs: number }
  /** A card update whose card is not sent yet: looked at again at `untilMs`; nothing was sent. */
  | { kind: 'waiting'; untilMs: number; reason: string }

/** The response_code a card update used (or found invalid): single use, so it is dropped from the card. */
export interface SpentCode {
  cardId: string
  code: string
}

/**
 * Errcodes that stop every message of the app until an admin acts
 * (https://developer.work.weixin.qq.com/document/path/90313): secret or corp wrong, token refused
 * even after a refetch, no permission, app disabled, agentid not this app's, server IP not
 * trusted, no callback URL for the button cards (43012). Failing the rows would lose every notification over a config slip.
 */
const APP_BLOCKED: ReadonlySet<number> = new Set([40001, 40013, 40014, 40056, 40091, 41001, 42001, 43012, 48002, 48006, 50003, 60020, 301002])

/** Our one recipient is in WeCom's answer (it lower-cases userids). */
const names = (list: string[], userid: string) => list.includes(userid.toLowerCase()) || list.includes(userid)

export function fromResult(userid: string, res: SendMessageResult): Outcome {
  if (res.kind === 'nobody-valid') {
    return { kind: 'undeliverable', problem: 'invaliduser', reason: `errcode 81013: ${res.errmsg || 'all recipients invalid'}`, msgid: null, invaliduser: res.invaliduser, unlicenseduser: [] }
  }
  const lists = { msgid: res.msgid, invaliduser: res.invaliduser, unlicenseduser: res.unlicenseduser }
  const responseCode = res.responseCode
  // WeCom answers ok yet skips these: the member did not get it, and no retry will change that.
  if (names(res.unlicenseduser, userid)) {
    return { kind: 'undeliverable', problem: 'unlicenseduser', reason: `unlicenseduser: ${userid} has no interface licence; WeCom did not deliver`, ...lists }
  }
  if (names(res.invaliduser, userid)) {
    return { kind: 'undeliverable', problem: 'invaliduser', reason: `invaliduser: WeCom did not deliver to ${userid}`, ...lists }
  }
  return { kind: 'sent', ...lists, responseCode }
}

/** One outcome and the rows it is true of. */
export interface Settling<R extends { userid: string }> {
  outcome: Outcome
  rows: R[]
}

/**
 * WeCom's answer to one message/send naming the members of `rows`: every member it reached
 * shares one `sent` outcome; each it did not reach gets its own, naming only that member (a row
 * keeps its own fate, not the whole call's lists).
 */
export function outcomesOf<R extends { userid: string }>(rows: R[], res: SendMessageResult): Settling<R>[] {
  const sent: R[] = []
  const out: Settling<R>[] = []
  for (const row of rows) {
    const o = fromResult(row.userid, res)
    if (o.kind === 'sent') sent.push(row)
    else if (o.kind === 'undeliverable') out.push({ outcome: { ...o, invaliduser: own(o.invaliduser, row.userid), unlicenseduser: own(o.unlicenseduser, row.userid) }, rows: [row] })
  }
  if (sent.length && res.kind === 'sent') out.push({ outcome: { kind: 'sent', msgid: res.msgid, invaliduser: [], unlicenseduser: [], responseCode: res.responseCode }, rows: sent })
  return out
}

const own = (list: string[], userid: string) => (names(list, userid) ? [userid.toLowerCase()] : [])

export function fromError(err: unknown): Outcome {
  const reason = describeError(err)
  if (isTransient(err)) return { kind: 'transient', reason, error: err }
  if (err instanceof WeComError && APP_BLOCKED.has(err.errcode)) return { kind: 'blocked', reason }
  // 2xx non-JSON or a 4xx: API base or proxy misconfigured, nothing to do with this message.
  if (err instanceof WeComTransportError) return { kind: 'blocked', reason }
  return { kind: 'rejected', reason }
}

export function describeError(err: unknown): string {
  if (err instanceof WeComError) return `errcode ${err.errcode}: ${err.errmsg}`
  if (err instanceof Error) return `${err.name}: ${err.message}`
  return String(err)
}
