import { endpoints, todoListSchema, todoSchema, type Todo, type TodoList } from '@portal/shared'
import { requestJson } from './http'
import { fillPath, withQuery } from './paths'

/** `pending`, or `done` (done and cancelled, each with its status). */
export type TodoTab = 'pending' | 'done'

/** The signed-in member's todos of one tab, a page (the first, or the one `cursor` names), with the counts of both. */
export function fetchTodos(status: TodoTab, cursor?: string): Promise<TodoList> {
  return requestJson(withQuery(endpoints.todos.path, { status, cursor }), todoListSchema)
}

/** One of the member's own todos; someone else's answers 404 (`not_found`). */
export function fetchTodo(id: string): Promise<Todo> {
  return requestJson(fillPath(endpoints.todo.path, { id }), todoSchema)
}
