import type { Queryable } from '../db'
import type { OutboxRef } from './enqueue'

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
  // Reads the cards without locking them: a card being sent right now (its row locked by a
  // worker on PostgreSQL) must not hold up the write that closes the todo.
  const rows = await q.query(
    `insert into outbox (dedupe_key, kind, card_of, userid, ref_kind, ref_id, message, next_attempt_at, created_at)
     select 'card:' || o.id || ':update', 'update', o.id, o.userid, o.ref_kind, o.ref_id, $2::jsonb, $3, $3 from outbox o
      where o.ref_kind = $5 and o.ref_id = $1 and o.kind = 'send' and o.task_id is not null
        and ($4::text is null or lower(o.userid) <> lower($4))
        and not exists (select 1 from outbox u where u.card_of = o.id)
     on conflict (dedupe_key) do nothing returning 1`,
    [o.ref.id, JSON.stringify(message), o.now, o.exceptUser ?? null, o.ref.kind],
  )
  return rows.length
}
