import type { Queryable } from '../db'
import { enqueueNotification, type Notification, type OutboxRef } from '../notify/enqueue'
import { todoMessage, type TodoCardNeeds } from './todo-card'
import type { TodoRecord } from './store'

/** How the outbox names a todo its rows are about. */
export const todoRef = (todoId: string): OutboxRef => ({ kind: 'todo', id: todoId })

/** The "new todo" card for the assignee, once per todo. */
export function newTodoNotification(card: TodoCardNeeds, todo: TodoRecord, requesterName: string | undefined): Notification {
  return {
    dedupeKey: `todo:${todo.id}:new`,
    userid: todo.assignee,
    ref: todoRef(todo.id),
    message: todoMessage(card, todo, { heading: '待办：', requesterName, card: 'new' }),
  }
}

/** Queues the "new todo" card for the assignee, once per todo (in the caller's transaction). */
export async function notifyNewTodo(q: Queryable, card: TodoCardNeeds, todo: TodoRecord, requesterName: string | undefined, now: Date): Promise<boolean> {
  return enqueueNotification(q, { ...newTodoNotification(card, todo, requesterName), now })
}
