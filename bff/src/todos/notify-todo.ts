import { buildHomepageUrl } from '@portal/shared'
import type { Config } from '../config'
import type { Queryable } from '../db'
import { enqueueNotification } from '../notify/enqueue'
import type { TodoRecord } from './store'

/** A page of this app through /auth/login, so a tap in WeCom signs in silently (as whoever tapped) and lands there. */
export function appDeepLink(config: Config, path: string): string {
  return buildHomepageUrl({ publicUrl: config.publicUrl, path })
}

/** The link a todo notification carries. */
export function todoDeepLink(config: Config, todoId: string): string {
  return appDeepLink(config, `/todos/${encodeURIComponent(todoId)}`)
}

/** WeCom limits (wecom-api.md §6): title ≤128 bytes, description ≤512 bytes; cut on characters. */
export function clipBytes(text: string, max: number): string {
  const enc = new TextEncoder()
  if (enc.encode(text).length <= max) return text
  let out = ''
  for (const ch of text) {
    if (enc.encode(out + ch + '…').length > max) break
    out += ch
  }
  return out + '…'
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/** Queues the "new todo" textcard for the assignee, once per todo (in the caller's transaction). */
export async function notifyNewTodo(q: Queryable, config: Config, todo: TodoRecord, requesterName: string | undefined, now: Date): Promise<boolean> {
  const lines = [
    requesterName ? `<div class="gray">${escapeHtml(requesterName)} · ${todo.source === 'approval' ? '审批' : escapeHtml(todo.origin)}</div>` : '',
    todo.summary ? `<div class="normal">${escapeHtml(todo.summary)}</div>` : '',
    todo.dueAt ? `<div class="highlight">截止 ${todo.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</div>` : '',
  ].filter(Boolean)
  return enqueueNotification(q, {
    dedupeKey: `todo:${todo.id}:new`,
    userid: todo.assignee,
    todoId: todo.id,
    now,
    message: {
      msgtype: 'textcard',
      textcard: {
        title: clipBytes(`待办：${todo.title}`, 128),
        description: clipBytes(lines.join('') || '你有一项新的待办', 512),
        url: todoDeepLink(config, todo.id),
        btntxt: '查看',
      },
    },
  })
}
