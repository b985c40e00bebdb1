import type { Queryable } from '../db'
import { WeComError, type WeComClient } from '../wecom'
import { RESPONSE_CODE_INVALID, updateTemplateCard } from '../wecom/messages'
import type { CardUpdateMessage } from './card-updates'
import { readCard, type OutboxRow } from './outbox-store'
import { describeError, fromError, type Outcome } from './outcome'

/** A response_code may update its card within 72 h (https://developer.work.weixin.qq.com/document/path/94888). */
export const RESPONSE_CODE_TTL_MS = 72 * 3600_000
/** An update whose card is still queued looks again after this long. */
export const CARD_WAIT_MS = 30_000

/**
 * One try of an update row: message/update_template_card with the card's response_code, unless
 * there is nothing valid to use — the card never went out, WeCom gave no code, it was spent, or
 * it is past 72 h — in which case nothing is sent and the row is settled with the reason. 60140
 * (spent or expired, e.g. an update that went through just before a crash) settles it the same way.
 */
export async function attemptCardUpdate(q: Queryable, wecom: Pick<WeComClient, 'post'>, agentId: string, row: OutboxRow, nowMs: number): Promise<Outcome> {
  const card = row.cardOf ? await readCard(q, row.cardOf) : null
  if (!card || !row.cardOf) return { kind: 'rejected', reason: 'the card this update is for no longer exists' }
  if (card.status === 'pending') return { kind: 'waiting', untilMs: nowMs + CARD_WAIT_MS, reason: 'the card itself is not sent yet' }
  if (card.status !== 'sent') return { kind: 'rejected', reason: `the card was never delivered (${card.status}): nothing to update` }
  if (!card.responseCode || !card.responseCodeAt) return { kind: 'rejected', reason: 'no unspent response_code for this card: not sent' }
  const spent = { cardId: row.cardOf, code: card.responseCode }
  if (nowMs - card.responseCodeAt.getTime() >= RESPONSE_CODE_TTL_MS) return { kind: 'rejected', reason: 'response_code older than 72 h: not sent', spent }
  try {
    await updateTemplateCard(wecom, { agentId, userids: [row.userid], responseCode: card.responseCode, replaceName: (row.message as CardUpdateMessage).button.replace_name })
    return { kind: 'sent', msgid: null, invaliduser: [], unlicenseduser: [], spent }
  } catch (e) {
    if (e instanceof WeComError && e.errcode === RESPONSE_CODE_INVALID) return { kind: 'rejected', reason: `${describeError(e)} (response_code spent or expired)`, spent }
    const o = fromError(e)
    return o.kind === 'rejected' ? { ...o, spent } : o
  }
}
