import type { Config } from '../config'
import type { Queryable } from '../db'
import { enqueueNotification } from '../notify/enqueue'
import { clipBytes, todoDeepLink } from './notify-todo'
import type { TodoRecord } from './store'

/**
 * Queues the card telling a todo's new assignee it is now theirs, at most once per (todo,
 * assignee): handing a todo back and forth does not notify the same person twice.
 */
export async function notifyReassigned(q: Queryable, config: Config, todo: TodoRecord, now: Date): Promise<boolean> {
  return enqueueNotification(q, {
    dedupeKey: `todo:${todo.id}:assignee:${todo.assignee.toLowerCase()}`,
    userid: todo.assignee,
    todoId: todo.id,
    now,
    message: {
      msgtype: 'textcard',
      textcard: {
        title: clipBytes(`待办转给你：${todo.title}`, 128),
        description: clipBytes(todo.summary || '有一项待办转给了你', 512),
        url: todoDeepLink(config, todo.id),
        btntxt: '查看',
      },
    },
  })
}
