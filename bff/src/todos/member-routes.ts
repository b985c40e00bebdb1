import { endpoints, type Todo, type TodoList } from '@portal/shared'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env'
import { requireMember, type MemberGateNeeds } from '../auth/require-member'
import type { DirectoryView } from '../directory/view-build'
import { ApiFailure } from '../errors'
import { jsonBytes } from '../http/json-bytes'
import type { TodoListing, TodoLists } from './list-cache'
import { getTodo, listTodos, type TodoPageKey, type TodoRecord } from './store'
import { toTodo, toTodos } from './todo-view'

export interface TodoMemberRoutesNeeds extends MemberGateNeeds {
  todoLists: Pick<TodoLists, 'list'>
}

const PRIVATE = { 'Cache-Control': 'private, no-cache' }
const LIST_HEADERS = { 'Content-Type': 'application/json', ...PRIVATE }

/** The next page's cursor: opaque to the H5, the last todo's updated_at (µs) and id. */
const encodeCursor = (k: TodoPageKey | null): string | null => (k ? Buffer.from(`${k.us}:${k.id}`).toString('base64url') : null)
function decodeCursor(cursor: string): TodoPageKey {
  const m = cursor.length <= 400 ? /^(\d{1,16}):(.+)$/s.exec(Buffer.from(cursor, 'base64url').toString()) : null
  if (!m) throw new ApiFailure('bad_request', 'cursor is not one this list gave.', { fields: { cursor: 'expected the nextCursor of the page before' } })
  return { us: m[1]!, id: m[2]! }
}

/**
 * Requesters' names from the directory read model once it is built, a rebuild not waited for (the
 * store looks userids up case-insensitively, a scan at 100k members, on every list); from the
 * store before that.
 */
async function withNames(deps: Pick<TodoMemberRoutesNeeds, 'settings' | 'db' | 'readModel'>, todos: TodoRecord[], view = deps.readModel.latest()): Promise<Todo[]> {
  const hosts = deps.settings.get('hostDisplayNames')
  if (!view) return toTodos(deps.db, todos, hosts)
  const { members } = view
  const names = new Map<string, string>()
  for (const t of todos) {
    const m = t.requester ? members.get(t.requester.toLowerCase()) : undefined
    if (m) names.set(m.userid.toLowerCase(), m.name)
  }
  return todos.map((t) => toTodo(t, names, hosts))
}

/** The signed-in member's own todos: the list (with both tab counts), a page at a time, and one todo. */
export function todoMemberRoutes(deps: TodoMemberRoutesNeeds) {
  const member = requireMember(deps)
  /**
   * The list's JSON bytes, built once per cached listing, read-model view and host names: building the todos and
   * stringifying them was most of the endpoint's CPU. A listing is immutable while cached (a
   * write drops it from the cache, and the body with it); the names come from the view, so a new
   * view builds it again. Uncached listings and names from the store are built every time.
   */
  const bodies = new WeakMap<TodoListing, { view: DirectoryView; hosts: unknown; body: Uint8Array<ArrayBuffer> }>()
  const listBody = async (listing: TodoListing): Promise<Uint8Array<ArrayBuffer>> => {
    const view = deps.readModel.latest()
    // Host display names are a console setting, replaced whole when saved: a new one rebuilds too.
    const hosts = deps.settings.get('hostDisplayNames')
    const kept = bodies.get(listing)
    if (kept && kept.view === view && kept.hosts === hosts) return kept.body
    const body = jsonBytes({ items: await withNames(deps, listing.items, view), counts: listing.counts, nextCursor: encodeCursor(listing.next) } satisfies TodoList)
    if (view) bodies.set(listing, { view, hosts, body })
    return body
  }
  return new Hono<AppEnv>()
    .get(endpoints.todos.path, member, async (c) => {
      const status = c.req.query('status') ?? 'pending'
      if (status !== 'pending' && status !== 'done') {
        throw new ApiFailure('bad_request', 'status must be "pending" or "done".', { fields: { status: 'expected pending or done' } })
      }
      const cursor = c.req.query('cursor')
      const userid = c.get('member').userid
      // The first page is kept in memory (list-cache.ts); a later one, asked for far less, is read each time.
      const listing = cursor ? await listTodos(deps.db, userid, status, { after: decodeCursor(cursor) }) : await deps.todoLists.list(userid, status)
      return c.body(await listBody(listing), 200, LIST_HEADERS)
    })
    .get(endpoints.todo.path, member, async (c) => {
      const todo = await getTodo(deps.db, c.req.param('id'))
      // Someone else's todo answers exactly like a missing one, so ids reveal nothing.
      if (!todo || todo.assignee.toLowerCase() !== c.get('member').userid.toLowerCase()) throw new ApiFailure('not_found', 'No such todo.')
      const [body] = await withNames(deps, [todo])
      return c.json(body!, 200, PRIVATE)
    })
}
