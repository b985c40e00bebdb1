import type { Queryable } from '../db'
import type { AppMessage } from '../wecom/messages'
import { insertNotifications } from './outbox-store'

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
  return insertNotifications(q, now, list)
}
