import { createHash } from 'node:crypto'
import type { RuntimeSettings } from '../admin/settings/runtime'
import type { Config } from '../config'
import { hostDisplayName } from '../config/host-names'
import { formatCorpTime } from '../time/corp-time'
import type { OutboxMessage } from '../notify/enqueue'
import type { TemplateCard } from '../wecom/messages'
import { appDeepLink } from '../notify/links'
import { clipBytes } from '../notify/message-text'
import type { TodoRecord } from './store'

/** What a todo's card is built from: the app's links (config) and the console's settings in effect. */
export interface TodoCardNeeds {
  config: Config
  settings: Pick<RuntimeSettings, 'get'>
}

/** The button's key: a template_card_event carries it back as EventKey, naming the todo. */
export const TODO_KEY_PREFIX = 'todo:'
export const todoButtonKey = (todoId: string) => `${TODO_KEY_PREFIX}${todoId}`
/** The todo a button key names, or undefined for a key that is not ours. */
export function todoIdOfKey(key: string): string | undefined {
  return key.startsWith(TODO_KEY_PREFIX) && key.length > TODO_KEY_PREFIX.length ? key.slice(TODO_KEY_PREFIX.length) : undefined
}

/** The link a todo notification carries. */
export function todoDeepLink(config: Config, todoId: string): string {
  return appDeepLink(config, `/todos/${encodeURIComponent(todoId)}`)
}

/**
 * task_id must be unique per app and only [0-9A-Za-z_-@] (≤128 bytes,
 * https://developer.work.weixin.qq.com/document/path/90236): the todo's id (base64url) and which
 * card of it this is (`new`, or a hash of the assignee it was handed to).
 */
export function cardTaskId(todoId: string, card: 'new' | { assignee: string }): string {
  const which = card === 'new' ? 'new' : `to-${createHash('sha256').update(card.assignee.toLowerCase()).digest('hex').slice(0, 16)}`
  return `todo-${todoId.replace(/[^0-9A-Za-z_-]/g, '_')}-${which}`
}

/**
 * A todo as a button_interaction card: tapping the card or its button opens the todo through
 * /auth/login (silent sign-in), as the textcard's link did; the button's key names the todo for
 * the template_card_event callback. Times are in the corp's zone. Texts are clipped to WeCom's
 * suggested lengths, and the whole is built from the todo alone, so a resend is byte-identical.
 */
export function todoCard(d: TodoCardNeeds, todo: TodoRecord, o: { heading: string; requesterName?: string; card: 'new' | { assignee: string } }): TemplateCard {
  const url = todoDeepLink(d.config, todo.id)
  const rows: { keyname: string; value: string }[] = []
  if (o.requesterName) rows.push({ keyname: '来自', value: clipBytes(o.requesterName, 90) })
  if (todo.dueAt) rows.push({ keyname: '截止', value: formatCorpTime(todo.dueAt, d.settings.get('timeZone')) })
  return {
    card_type: 'button_interaction',
    task_id: cardTaskId(todo.id, o.card),
    source: { desc: clipBytes(sourceName(d, todo), 39) },
    main_title: { title: clipBytes(`${o.heading}${todo.title}`, 128), desc: '待处理' },
    ...(todo.summary ? { sub_title_text: clipBytes(todo.summary, 336) } : {}),
    ...(rows.length ? { horizontal_content_list: rows } : {}),
    card_action: { type: 1, url },
    button_list: [{ type: 1, text: '查看', style: 1, key: todoButtonKey(todo.id), url }],
  }
}

/** 审批, or the host as members know it (its display name, else its key name). */
const sourceName = (d: TodoCardNeeds, todo: TodoRecord): string =>
  todo.source === 'approval' ? '审批' : (hostDisplayName(d.settings.get('hostDisplayNames'), todo.origin) ?? todo.origin)

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/**
 * The todo's notification: a template card when this app receives WeCom's callbacks, else the
 * textcard of before. WeCom refuses a card with buttons (43012) from an app whose 接收消息 URL is
 * not set, and our Token and EncodingAESKey being set is what says it is: without them a corp
 * still gets its todos (the card just cannot turn into 已处理 later).
 * https://developer.work.weixin.qq.com/document/path/90236
 */
export function todoMessage(d: TodoCardNeeds, todo: TodoRecord, o: { heading: string; requesterName?: string; card: 'new' | { assignee: string } }): OutboxMessage {
  if (d.settings.get('callbackToken') && d.settings.get('callbackAesKey')) return { msgtype: 'template_card', template_card: todoCard(d, todo, o) }
  const lines = [
    o.requesterName ? `<div class="gray">${escapeHtml(o.requesterName)} · ${escapeHtml(sourceName(d, todo))}</div>` : '',
    todo.summary ? `<div class="normal">${escapeHtml(todo.summary)}</div>` : '',
    todo.dueAt ? `<div class="highlight">截止 ${formatCorpTime(todo.dueAt, d.settings.get('timeZone'))}</div>` : '',
  ].filter(Boolean)
  return {
    msgtype: 'textcard',
    textcard: { title: clipBytes(`${o.heading}${todo.title}`, 128), description: clipBytes(lines.join('') || '你有一项待办', 512), url: todoDeepLink(d.config, todo.id), btntxt: '查看' },
  }
}
