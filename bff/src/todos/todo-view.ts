import type { HostTodo, Todo } from '@portal/shared'
import { hostDisplayName, type HostNames } from '../config/host-names'
import type { Queryable } from '../db'
import { memberNames } from '../directory/member-store'
import type { TodoRecord } from './store'

/**
 * A stored todo as its assignee sees it; `names` maps lower-cased userids to names, `hosts` host
 * names to display names. Both are read per response, so a renamed host shows at once.
 */
export function toTodo(t: TodoRecord, names: Map<string, string>, hosts: HostNames): Todo {
  const originName = t.source === 'host' ? hostDisplayName(hosts, t.origin) : undefined
  return {
    id: t.id,
    source: t.source,
    title: t.title,
    summary: t.summary,
    link: t.link,
    status: t.status,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    dueAt: t.dueAt?.toISOString() ?? null,
    // A requester who has since left the directory still shows, by userid.
    requester: t.requester ? { userid: t.requester, name: names.get(t.requester.toLowerCase()) ?? t.requester } : null,
    origin: t.origin,
    ...(originName ? { originName } : {}),
  }
}

/** Several todos with their requesters' names, looked up in one query. */
export async function toTodos(q: Queryable, todos: TodoRecord[], hosts: HostNames): Promise<Todo[]> {
  const names = await memberNames(q, [...new Set(todos.flatMap((t) => (t.requester ? [t.requester] : [])))])
  return todos.map((t) => toTodo(t, names, hosts))
}

/** A host todo as the host API returns it. */
export function toHostTodo(t: TodoRecord): HostTodo {
  return {
    id: t.id,
    externalId: t.externalId ?? '',
    assignee: t.assignee,
    title: t.title,
    summary: t.summary,
    link: t.link,
    status: t.status,
    dueAt: t.dueAt?.toISOString() ?? null,
    requester: t.requester ?? null,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  }
}
