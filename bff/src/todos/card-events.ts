import type { Db } from '../db'
import { cardOfTask, renewResponseCode, retryFailedCardUpdate } from '../notify/outbox-store'
import type { CallbackMessage } from '../wecom/callback-xml'
import { todoIdOfKey } from './todo-card'

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '')

/**
 * template_card_event (a member tapped a button of one of our cards,
 * https://developer.work.weixin.qq.com/document/path/90240): recorded once per tap, and the
 * ResponseCode it carries — a fresh one, 72 h from now — replaces the card's, so a card can still
 * be updated after the one from message/send ran out. When the card was already closed but its
 * update found no valid code, the update is tried again with this one. Returns whether an update
 * was put back in the outbox. Idempotent: the callback inbox delivers at least once.
 */
export async function recordCardEvent(db: Db, msg: CallbackMessage): Promise<boolean> {
  const taskId = text(msg.fields.TaskId)
  const userid = msg.fromUserName.trim()
  if (!taskId || !userid) throw new Error('template_card_event without TaskId or FromUserName')
  const eventKey = text(msg.fields.EventKey)
  const code = text(msg.fields.ResponseCode)
  const at = new Date(msg.createTime * 1000)
  return db.transaction(async (tx) => {
    const card = await cardOfTask(tx, taskId, userid)
    const inserted = await tx.query(
      `insert into card_events (task_id, userid, event_key, card_type, todo_id, at) values ($1, $2, $3, $4, $5, $6)
       on conflict (task_id, userid, event_key, at) do nothing returning 1`,
      [taskId, userid, eventKey, text(msg.fields.CardType), todoIdOfKey(eventKey) ?? card?.todoId ?? null, at],
    )
    // A repeat of a tap already applied, or a card that is not ours (sent before this build, or by another app).
    if (!inserted.length || !card || !code) return false
    await renewResponseCode(tx, card.id, code, at)
    // The card's update, if it was closed and found no valid code, goes out again with this one.
    return retryFailedCardUpdate(tx, card.id, at)
  })
}
