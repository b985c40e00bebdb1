import type { TodoStatus } from '@portal/shared'
import { randomId } from '../auth/tokens'
import type { Queryable } from '../db'

export interface TodoRecord {
  id: string
  assignee: string
  source: 'approval' | 'host'
  /** Approval number, or the host's name. */
  origin: string
  /** Within (source, origin), unique: the approver's userid (lower case), or the host's external id. */
  ref: string
  externalId?: string
  title: string
  summary: string
  link: string
  status: TodoStatus
  requester?: string
  dueAt?: Date
  createdAt: Date
  updatedAt: Date
}

export type TodoFields = Omit<TodoRecord, 'id' | 'createdAt' | 'updatedAt'>

type Row = {
  id: string
  assignee: string
  source: 'approval' | 'host'
  origin: string
  ref: string
  external_id: string | null
  title: string
  summary: string
  link: string
  status: TodoStatus
  requester: string | null
  due_at: Date | null
  created_at: Date
  updated_at: Date
}
/** The todo's identity: source, origin and ref as $1, $2, $3. */
const BY_KEY = 'source = $1 and origin = $2 and ref = $3'
const COLUMNS = 'id, assignee, source, origin, ref, external_id, title, summary, link, status, requester, due_at, created_at, updated_at'

function fromRow(r: Row): TodoRecord {
  return {
    id: r.id,
    assignee: r.assignee,
    source: r.source,
    origin: r.origin,
    ref: r.ref,
    externalId: r.external_id ?? undefined,
    title: r.title,
    summary: r.summary,
    link: r.link,
    status: r.status,
    requester: r.requester ?? undefined,
    dueAt: r.due_at ? new Date(r.due_at) : undefined,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  }
}

const same = (a: TodoRecord, b: TodoFields) =>
  a.assignee === b.assignee &&
  a.title === b.title &&
  a.summary === b.summary &&
  a.link === b.link &&
  a.status === b.status &&
  (a.requester ?? null) === (b.requester ?? null) &&
  (a.dueAt?.getTime() ?? null) === (b.dueAt?.getTime() ?? null)

type Upsert = { todo: TodoRecord; created: boolean; changed: boolean; before?: TodoRecord }

/**
 * Creates or updates the todo known by (source, origin, ref); `before` is the todo as it was.
 * `changed` is false when nothing differs (the row is then left untouched), so callers can make
 * repeated upserts idempotent end to end. The insert is tried first: a new todo, the host API's
 * usual case, costs one statement.
 */
export async function upsertTodo(q: Queryable, t: TodoFields, now: Date): Promise<Upsert> {
  const [row] = await q.query<Row>(
    `insert into todos (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
     on conflict (source, origin, ref) do nothing returning ${COLUMNS}`,
    [randomId(12), t.assignee, t.source, t.origin, t.ref, t.externalId ?? null, t.title, t.summary, t.link, t.status, t.requester ?? null, t.dueAt ?? null, now],
  )
  if (row) return { todo: fromRow(row), created: true, changed: true }
  const before = await lockTodoByKey(q, t.source, t.origin, t.ref)
  // Todos are never deleted, so this is only a row that vanished between the two statements.
  if (!before) return upsertTodo(q, t, now)
  return { ...(await updateTodo(q, before, t, now)), created: false }
}

/**
 * Inserts, in one statement, each todo whose (source, origin, ref) is not taken yet (the first of
 * two alike in `list`); returns the created ones by position in `list`, undefined where a todo
 * was there already (the caller then updates it, see upsertTodo).
 */
export async function insertNewTodos(q: Queryable, list: { t: TodoFields; now: Date }[]): Promise<(TodoRecord | undefined)[]> {
  const col = <V>(f: (x: { t: TodoFields; now: Date }) => V) => list.map(f)
  const rows = await q.query<Row>(
    `insert into todos (${COLUMNS})
     select id, assignee, source, origin, ref, external_id, title, summary, link, status, requester, due_at, at, at
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[])
         with ordinality as x (id, assignee, source, origin, ref, external_id, title, summary, link, status, requester, due_at, at, n)
      order by n
     on conflict (source, origin, ref) do nothing returning ${COLUMNS}`,
    [
      col(() => randomId(12)),
      col((x) => x.t.assignee),
      col((x) => x.t.source),
      col((x) => x.t.origin),
      col((x) => x.t.ref),
      col((x) => x.t.externalId ?? null),
      col((x) => x.t.title),
      col((x) => x.t.summary),
      col((x) => x.t.link),
      col((x) => x.t.status),
      col((x) => x.t.requester ?? null),
      // ISO strings: both drivers turn them into timestamptz[] alike.
      col((x) => x.t.dueAt?.toISOString() ?? null),
      col((x) => x.now.toISOString()),
    ],
  )
  const created = new Map(rows.map((r) => [`${r.source}\n${r.origin}\n${r.ref}`, fromRow(r)]))
  // A key given twice was created for its first item only.
  return list.map(({ t }) => {
    const key = `${t.source}\n${t.origin}\n${t.ref}`
    const todo = created.get(key)
    created.delete(key)
    return todo
  })
}

/** Writes `t` over `before` (locked by the caller) unless nothing differs. */
export async function updateTodo(q: Queryable, before: TodoRecord, t: TodoFields, now: Date): Promise<{ todo: TodoRecord; changed: boolean; before: TodoRecord }> {
  if (same(before, t)) return { todo: before, changed: false, before }
  const [row] = await q.query<Row>(
    `update todos set assignee = $4, title = $5, summary = $6, link = $7, status = $8, requester = $9, due_at = $10, updated_at = $11
      where ${BY_KEY} returning ${COLUMNS}`,
    [t.source, t.origin, t.ref, t.assignee, t.title, t.summary, t.link, t.status, t.requester ?? null, t.dueAt ?? null, now],
  )
  return { todo: fromRow(row!), changed: true, before }
}

/** The todo known by (source, origin, ref), locked until the caller's transaction ends. */
export async function lockTodoByKey(q: Queryable, source: TodoRecord['source'], origin: string, ref: string): Promise<TodoRecord | null> {
  const [row] = await q.query<Row>(`select ${COLUMNS} from todos where ${BY_KEY} for update`, [source, origin, ref])
  return row ? fromRow(row) : null
}

export async function getTodo(q: Queryable, id: string): Promise<TodoRecord | null> {
  const [row] = await q.query<Row>(`select ${COLUMNS} from todos where id = $1`, [id])
  return row ? fromRow(row) : null
}

/** Every todo of one origin of one source (e.g. all approvers' todos of one sp_no). */
export async function todosOfOrigin(q: Queryable, source: TodoRecord['source'], origin: string): Promise<TodoRecord[]> {
  const rows = await q.query<Row>(`select ${COLUMNS} from todos where source = $1 and origin = $2`, [source, origin])
  return rows.map(fromRow)
}

export async function setTodoStatus(q: Queryable, id: string, status: TodoStatus, now: Date): Promise<void> {
  await q.query('update todos set status = $2, updated_at = $3 where id = $1 and status <> $2', [id, status, now])
}

/** Where a page of a member's list ends: its last todo's updated_at (µs since 1970, exact) and id. */
export interface TodoPageKey {
  us: string
  id: string
}

/**
 * A member's todos: `pending`, or `done` (done and cancelled), newest first (then by id), with both
 * counts; `limit` a page, those after `after` (a key from the page before). `next` is the key to
 * ask for the page after this one, null at the end.
 */
export async function listTodos(
  q: Queryable,
  assignee: string,
  which: 'pending' | 'done',
  page: { limit?: number; after?: TodoPageKey } = {},
): Promise<{ items: TodoRecord[]; counts: { pending: number; done: number }; next: TodoPageKey | null }> {
  const limit = page.limit ?? 200
  const statuses = which === 'pending' ? ['pending'] : ['done', 'cancelled']
  const params: unknown[] = [assignee, statuses, limit + 1]
  const after = page.after ? ` and (updated_at, id) < (timestamptz 'epoch' + $${params.push(page.after.us)}::bigint * interval '1 microsecond', $${params.push(page.after.id)})` : ''
  const rows = await q.query<Row & { us: string }>(
    `select ${COLUMNS}, (extract(epoch from updated_at) * 1000000)::bigint::text as us from todos
      where lower(assignee) = lower($1) and status = any($2)${after} order by updated_at desc, id desc limit $3`,
    params,
  )
  const [c] = await q.query<{ pending: string; done: string }>(
    `select count(*) filter (where status = 'pending') as pending, count(*) filter (where status <> 'pending') as done
       from todos where lower(assignee) = lower($1)`,
    [assignee],
  )
  const shown = rows.slice(0, limit)
  const last = shown[shown.length - 1]
  return {
    items: shown.map(fromRow),
    counts: { pending: Number(c?.pending ?? 0), done: Number(c?.done ?? 0) },
    next: rows.length > limit && last ? { us: last.us, id: last.id } : null,
  }
}
