import type { Todo, TodoList } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import { requireMember } from '../auth/require-member'
import type { Deps } from '../deps'
import { ApiFailure } from '../errors'
import { getTodo, type TodoRecord } from './store'
import { toTodo, toTodos } from './todo-view'

const PRIVATE = { 'Cache-Control': 'private, no-cache' }

/**
 * Requesters' names from the directory read model once it is built, a rebuild not waited for (the
 * store looks userids up case-insensitively, a scan at 100k members, on every list); from the
 * store before that.
 */
async function withNames(deps: Deps, todos: TodoRecord[]): Promise<Todo[]> {
  const view = deps.readModel.latest()
  const hosts = deps.config.hostDisplayNames
  if (!view) return toTodos(deps.db, todos, hosts)
  const { members } = view
  const names = new Map<string, string>()
  for (const t of todos) {
    const m = t.requester ? members.get(t.requester.toLowerCase()) : undefined
    if (m) names.set(m.userid.toLowerCase(), m.name)
  }
  return todos.map((t) => toTodo(t, names, hosts))
}

/** The signed-in member's own todos: the list (with both tab counts) and one todo. */
export function todoMemberRoutes(deps: Deps) {
  const member = requireMember(deps)
  return new Hono<AppEnv>()
    .get('/api/todos', member, async (c) => {
      const status = c.req.query('status') ?? 'pending'
      if (status !== 'pending' && status !== 'done') {
        throw new ApiFailure('bad_request', 'status must be "pending" or "done".', { fields: { status: 'expected pending or done' } })
      }
      const { items, counts } = await deps.todoLists.list(c.get('member').userid, status)
      const body: TodoList = { items: await withNames(deps, items), counts }
      return c.json(body, 200, PRIVATE)
    })
    .get('/api/todos/:id', member, async (c) => {
      const todo = await getTodo(deps.db, c.req.param('id'))
      // Someone else's todo answers exactly like a missing one, so ids reveal nothing.
      if (!todo || todo.assignee.toLowerCase() !== c.get('member').userid.toLowerCase()) throw new ApiFailure('not_found', 'No such todo.')
      const [body] = await withNames(deps, [todo])
      return c.json(body!, 200, PRIVATE)
    })
}
