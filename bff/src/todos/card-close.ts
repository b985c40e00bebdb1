import type { Queryable } from '../db'
import { queueCardUpdates } from '../notify/card-updates'
import { sameUser } from './host-people'
import { todoRef } from './notify-todo'
import type { TodoRecord } from './store'

/**
 * After a todo changed (in the caller's transaction): closing it updates every open card of it
 * to 已处理 / 已取消; handing it to someone else updates the cards of the others to 已转交 (the new
 * assignee gets a card of their own). Returns whether an update was queued.
 */
export async function closeCardsOnChange(q: Queryable, before: TodoRecord | undefined, after: TodoRecord, now: Date): Promise<boolean> {
  if (!before || before.status !== 'pending') return false
  if (after.status !== 'pending') return (await queueCardUpdates(q, { ref: todoRef(after.id), state: after.status === 'done' ? 'done' : 'cancelled', now })) > 0
  if (!sameUser(before.assignee, after.assignee)) return (await queueCardUpdates(q, { ref: todoRef(after.id), state: 'reassigned', now, exceptUser: after.assignee })) > 0
  return false
}
