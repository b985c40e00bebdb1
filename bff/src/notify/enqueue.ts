import type { Queryable } from '../db'

/** The part of a message/send body that varies (touser and agentid are added when sending). */
export type OutboxMessage =
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }
  | { msgtype: 'text'; text: { content: string } }

/**
 * Queues a notification, inside the caller's transaction so that it exists exactly when the
 * change that causes it does. The same `dedupeKey` twice queues it once. Returns whether it was new.
 */
export async function enqueueNotification(
  q: Queryable,
  n: { dedupeKey: string; userid: string; todoId?: string; message: OutboxMessage; now: Date },
): Promise<boolean> {
  const rows = await q.query(
    `insert into outbox (dedupe_key, userid, todo_id, message, next_attempt_at, created_at) values ($1, $2, $3, $4, $5, $5)
     on conflict (dedupe_key) do nothing returning 1`,
    [n.dedupeKey, n.userid, n.todoId ?? null, JSON.stringify(n.message), n.now],
  )
  return rows.length > 0
}
