import type { HostTodoInput, HostTodoPatch } from '@portal/shared'
import type { TodoCardNeeds } from './todo-card'
import type { Batch, Db, Tx } from '../db'
import type { DirectoryReadModel } from '../directory/read-model'
import type { OutboxWorker } from '../notify'
import { ApiFailure } from '../errors'
import { closeCardsOnChange } from './card-close'
import { checkPeople, sameUser } from './host-people'
import { notifyReassigned } from './notify-reassigned'
import { enqueueNotifications } from '../notify/outbox-store'
import { newTodoNotification, notifyNewTodo } from './notify-todo'
import type { TodoLists } from './list-cache'
import { insertNewTodos, lockTodoByKey, updateTodo, upsertTodo, type TodoFields, type TodoRecord } from './store'

/** What writing host todos needs: the directory to check people, the outbox to wake, the lists to drop. */
export interface HostTodoNeeds extends TodoCardNeeds {
  db: Db
  now: () => number
  readModel: DirectoryReadModel
  outbox: Pick<OutboxWorker, 'wake'>
  todoLists: Pick<TodoLists, 'changed'>
}

type Upserted = { todo: TodoRecord; created: boolean; changed: boolean; queued: boolean }

/** One host todo to write: what the request asked for, and what it needs to do it. */
export interface HostUpsert {
  card: TodoCardNeeds
  fields: TodoFields
  notify: boolean
  requesterName?: string
  now: Date
  /** Assignees whose lists the write touches (filled in as it runs: see TodoLists.changed). */
  touched: Set<string>
}

/** One host todo written alone: the batch's way for a todo that exists already, and its fallback. */
async function upsertOne(tx: Tx, u: HostUpsert): Promise<Upserted> {
  const { before, ...r } = await upsertTodo(tx, u.fields, u.now)
  if (before) u.touched.add(before.assignee)
  // Cards already out are updated whatever `notify` says: they must not stay "待处理".
  let queued = await closeCardsOnChange(tx, before, r.todo, u.now)
  if (u.notify && r.todo.status === 'pending') {
    if (r.created) queued = (await notifyNewTodo(tx, u.card, r.todo, u.requesterName, u.now)) || queued
    else if (before && !sameUser(before.assignee, r.todo.assignee)) queued = (await notifyReassigned(tx, u.card, r.todo, u.now)) || queued
  }
  return { ...r, queued }
}

/**
 * The host API's creates that share a group commit, in two statements whatever their number: one
 * INSERT of every new todo, one INSERT of their cards. A todo that exists already goes the way it
 * would alone (update, cards, notifications).
 */
const BATCH_FROM = 3
export const hostUpserts: Batch<HostUpsert, Upserted> = {
  async run(tx, items) {
    // Measured on PGlite: the array statement costs about two plain INSERTs, so it pays from three.
    if (items.length < BATCH_FROM) {
      const out: Upserted[] = []
      for (const u of items) out.push(await upsertOne(tx, u))
      return out
    }
    const created = await insertNewTodos(
      tx,
      items.map((u) => ({ t: u.fields, now: u.now })),
    )
    const cards = items.flatMap((u, i) => {
      const todo = created[i]
      return todo && u.notify && todo.status === 'pending' ? [newTodoNotification(u.card, todo, u.requesterName)] : []
    })
    // A new todo's card is new too (its key holds the todo's fresh id).
    if (cards.length) await enqueueNotifications(tx, new Date(Math.max(...items.map((u) => u.now.getTime()))), cards)
    const out: Upserted[] = []
    for (const [i, u] of items.entries()) {
      const todo = created[i]
      out.push(todo ? { todo, created: true, changed: true, queued: u.notify && todo.status === 'pending' } : await upsertOne(tx, u))
    }
    return out
  },
}

/**
 * POST semantics: the body is the whole todo (omitted optional fields take their defaults), so
 * the same body twice is one todo and one notification. The card is queued in the same
 * transaction as the todo, so neither exists without the other. Concurrent requests share a
 * commit and their statements (`hostUpserts`).
 */
export async function upsertHostTodo(deps: HostTodoNeeds, host: string, input: HostTodoInput): Promise<Upserted> {
  const people = await checkPeople(deps.db, { assignee: input.assignee, requester: input.requester || undefined }, deps.readModel)
  const now = new Date(deps.now())
  const fields: TodoFields = {
    // The directory's spelling, so outbox `touser` and list look-ups agree with WeCom.
    assignee: people.assignee!.userid,
    source: 'host',
    origin: host,
    ref: input.externalId,
    externalId: input.externalId,
    title: input.title,
    summary: input.summary ?? '',
    link: input.link,
    status: input.status ?? 'pending',
    requester: people.requester?.userid,
    dueAt: input.dueAt ? new Date(input.dueAt) : undefined,
  }
  const touched = new Set([fields.assignee])
  const result = await deps.db
    .writeBatched(hostUpserts, { card: deps, fields, notify: input.notify !== false, requesterName: people.requester?.name, now, touched })
    .finally(() => deps.todoLists.changed(touched))
  if (result.queued) deps.outbox.wake()
  return result
}

/**
 * PATCH semantics: only the given fields change. Another host's todo, or an approval's, is not
 * found, whatever this host is called: todos are keyed by (source, origin, ref).
 */
export async function patchHostTodo(deps: HostTodoNeeds, host: string, externalId: string, patch: HostTodoPatch): Promise<Upserted> {
  // Checked before the write, so that a bad assignee never enters (and reruns) a group of writes.
  const people = await checkPeople(deps.db, { assignee: patch.assignee }, deps.readModel)
  const now = new Date(deps.now())
  const touched = new Set<string>()
  const result = await deps.db.write(async (tx) => {
    const before = await lockTodoByKey(tx, 'host', host, externalId)
    if (!before) throw new ApiFailure('not_found', `No todo with externalId "${externalId}" from this host.`)
    touched.add(before.assignee)
    const { id: _id, createdAt: _c, updatedAt: _u, ...current } = before
    const fields: TodoFields = {
      ...current,
      assignee: people.assignee?.userid ?? before.assignee,
      title: patch.title ?? before.title,
      summary: patch.summary ?? before.summary,
      link: patch.link ?? before.link,
      status: patch.status ?? before.status,
      dueAt: patch.dueAt === undefined ? before.dueAt : patch.dueAt === null ? undefined : new Date(patch.dueAt),
    }
    const { before: _b, ...r } = await updateTodo(tx, before, fields, now)
    touched.add(r.todo.assignee)
    const closed = await closeCardsOnChange(tx, before, r.todo, now)
    const queued = (r.todo.status === 'pending' && !sameUser(before.assignee, r.todo.assignee) && (await notifyReassigned(tx, deps, r.todo, now))) || closed
    return { ...r, created: false, queued }
  }).finally(() => deps.todoLists.changed(touched))
  if (result.queued) deps.outbox.wake()
  return result
}
