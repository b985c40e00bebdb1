import { z } from 'zod/mini'
import { dueAtSchema, webUrlSchema } from './fields'

export const todoStatusSchema = z.enum(['pending', 'done', 'cancelled'])
export type TodoStatus = z.infer<typeof todoStatusSchema>

/** A todo as the signed-in member sees it (GET /api/todos, GET /api/todos/:id). */
export const todoSchema = z.object({
  id: z.string(),
  source: z.enum(['approval', 'host']),
  title: z.string(),
  summary: z.string(),
  /** Where the action opens: the approval in WeCom, or the host app's page. */
  link: z.string(),
  status: todoStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  dueAt: z.nullable(z.string()),
  /** Who asked (the approval's applicant, or the host's `requester`). */
  requester: z.nullable(z.object({ userid: z.string(), name: z.string() })),
  /** Approval todos: the approval number; host todos: the host's name (its key's, in HOST_API_KEYS). */
  origin: z.string(),
  /** Host todos: the name people read for the host (HOST_DISPLAY_NAMES or the console), when it has one. */
  originName: z.optional(z.string()),
})
export type Todo = z.infer<typeof todoSchema>

/**
 * GET /api/todos?status=pending|done&cursor= — `done` lists done and cancelled todos, newest
 * first, 200 a page; `nextCursor` asks for the page after (null: that was the last).
 */
export const todoListSchema = z.object({
  items: z.array(todoSchema),
  counts: z.object({ pending: z.int(), done: z.int() }),
  nextCursor: z.nullable(z.string()),
})
export type TodoList = z.infer<typeof todoListSchema>

/** POST /api/host/todos — idempotent upsert by (host, externalId); one assignee per todo. */
export const hostTodoInputSchema = z.object({
  externalId: z.string().check(z.minLength(1), z.maxLength(128)),
  assignee: z.string().check(z.minLength(1), z.maxLength(64)),
  title: z.string().check(z.minLength(1), z.maxLength(128)),
  summary: z.optional(z.string().check(z.maxLength(512))),
  link: webUrlSchema,
  dueAt: z.optional(z.nullable(dueAtSchema)),
  requester: z.optional(z.string().check(z.maxLength(64))),
  status: z.optional(todoStatusSchema),
  /** Send the assignee a WeCom notification when the todo is new (default true). */
  notify: z.optional(z.boolean()),
})
export type HostTodoInput = z.infer<typeof hostTodoInputSchema>

/** PATCH /api/host/todos/:externalId — update fields or status (cancel = status `cancelled`). */
export const hostTodoPatchSchema = z.object({
  assignee: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  title: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  summary: z.optional(z.string().check(z.maxLength(512))),
  link: z.optional(webUrlSchema),
  dueAt: z.optional(z.nullable(dueAtSchema)),
  status: z.optional(todoStatusSchema),
})
export type HostTodoPatch = z.infer<typeof hostTodoPatchSchema>

/** POST /api/host/notifications — a plain notification to members. */
export const hostNotificationInputSchema = z.object({
  userids: z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.minLength(1), z.maxLength(1000)),
  title: z.string().check(z.minLength(1), z.maxLength(128)),
  description: z.optional(z.string().check(z.maxLength(512))),
  /** Opened through WeCom OAuth when it is a page of this app; as is otherwise. */
  url: z.optional(webUrlSchema),
})
export type HostNotificationInput = z.infer<typeof hostNotificationInputSchema>

/** A host todo as the host API returns it. */
export const hostTodoSchema = z.object({
  id: z.string(),
  externalId: z.string(),
  assignee: z.string(),
  title: z.string(),
  summary: z.string(),
  link: z.string(),
  status: todoStatusSchema,
  dueAt: z.nullable(z.string()),
  requester: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type HostTodo = z.infer<typeof hostTodoSchema>
