import type { Queryable } from '../db'
import { enqueueNotification } from '../notify/enqueue'
import { todoRef } from './notify-todo'
import { todoMessage, type TodoCardNeeds } from './todo-card'
import type { TodoRecord } from './store'

/**
 * Queues the card telling a todo's new assignee it is now theirs, at most once per (todo,
 * assignee): handing a todo back and forth does not notify the same person twice.
 */
export async function notifyReassigned(q: Queryable, card: TodoCardNeeds, todo: TodoRecord, now: Date): Promise<boolean> {
  return enqueueNotification(q, {
    dedupeKey: `todo:${todo.id}:assignee:${todo.assignee.toLowerCase()}`,
    userid: todo.assignee,
    ref: todoRef(todo.id),
    now,
    message: todoMessage(card, todo, { heading: '待办转给你：', card: { assignee: todo.assignee } }),
  })
}
