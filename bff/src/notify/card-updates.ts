import type { Queryable } from '../db'
import type { OutboxRef } from './enqueue'
import { insertCardUpdates } from './outbox-store'

/** What a closed todo's card reads once updated. */
export const CARD_STATE_TEXT = { done: '已处理', cancelled: '已取消', reassigned: '已转交' } as const
export type CardState = keyof typeof CARD_STATE_TEXT

/** The outbox row of an update: message/update_template_card for the card sent by row `card_of`. */
export interface CardUpdateMessage {
  button: { replace_name: string }
}

/**
 * Queues, in the caller's transaction, the update of every still-open card about `ref` (to
 * `onlyUser` when given, else to anyone but `exceptUser`): each card is updated once, since its
 * response_code is single use. The update waits in the outbox like any message, so
 * MESSAGE_ENABLE, pacing and crash safety hold; whether the code is still valid is decided when
 * it is sent. Returns how many were queued.
 */
export async function queueCardUpdates(q: Queryable, o: { ref: OutboxRef; state: CardState; now: Date; exceptUser?: string }): Promise<number> {
  const message: CardUpdateMessage = { button: { replace_name: CARD_STATE_TEXT[o.state] } }
  return insertCardUpdates(q, { ref: o.ref, message, now: o.now, exceptUser: o.exceptUser })
}
