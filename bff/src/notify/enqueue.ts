import type { Queryable } from '../db'
import type { AppMessage } from '../wecom/messages'
import { enqueueNotifications } from './outbox-store'

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
  /**
   * Rows with one group (the same message to many members, ≤ 1,000 of them) go in one
   * message/send call; never a template card (its response_code would be shared).
   */
  group?: string
}

/** Queues one notification (see enqueueNotifications); returns whether it was new. */
export async function enqueueNotification(q: Queryable, n: Notification & { now: Date }): Promise<boolean> {
  return (await enqueueNotifications(q, n.now, [n])) > 0
}
