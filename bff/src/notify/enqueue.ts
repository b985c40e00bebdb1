import type { Queryable } from '../db'
import type { AppMessage } from '../wecom/messages'

/** The part of a message/send body that varies (touser and agentid are added when sending). */
export type OutboxMessage = Extract<AppMessage, { msgtype: 'textcard' | 'text' | 'template_card' }>

/** What a notification is about (a todo: `{ kind: 'todo', id }`), kept with it in the outbox. */
export interface OutboxRef {
  kind: string
  id: string
}

export interface Notification {
  dedupeKey: string
  userid: string
  ref?: OutboxRef
  message: OutboxMessage
}

/**
 * Queues a notification, inside the caller's transaction so that it exists exactly when the
 * change that causes it does. The same `dedupeKey` twice queues it once. Returns whether it was new.
 */
export async function enqueueNotification(q: Queryable, n: Notification & { now: Date }): Promise<boolean> {
  return (await enqueueNotifications(q, n.now, [n])) > 0
}

/** Several at once, in one statement (a message to many members); returns how many were new. */
export async function enqueueNotifications(q: Queryable, now: Date, list: Notification[]): Promise<number> {
  if (!list.length) return 0
  const rows = await q.query(
    `insert into outbox (dedupe_key, userid, ref_kind, ref_id, message, task_id, next_attempt_at, created_at)
     select n.dedupe_key, n.userid, n.ref_kind, n.ref_id, n.message::jsonb, n.message::jsonb -> 'template_card' ->> 'task_id', $6, $6
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as n (dedupe_key, userid, ref_kind, ref_id, message)
     on conflict (dedupe_key) do nothing returning 1`,
    [
      list.map((n) => n.dedupeKey),
      list.map((n) => n.userid),
      list.map((n) => n.ref?.kind ?? null),
      list.map((n) => n.ref?.id ?? null),
      list.map((n) => JSON.stringify(n.message)),
      now,
    ],
  )
  return rows.length
}
