import type { Todo } from '@portal/shared'
import type { MessageKey } from '../i18n/messages'

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string

/** 审批, or the host app's name: the one the operator gave it, else its key name. */
export function sourceLabel(todo: Pick<Todo, 'source' | 'origin' | 'originName'>, t: Translate): string {
  return todo.source === 'approval' ? t('todos.sourceApproval') : todo.originName || todo.origin || t('todos.sourceHost')
}

export const statusKey = (status: Todo['status']): MessageKey =>
  status === 'pending' ? 'todos.statusPending' : status === 'done' ? 'todos.statusDone' : 'todos.statusCancelled'

/** The main button: 查看审批 for approvals, 去处理 while a host task is pending, else 查看. */
export function actionKey(todo: Pick<Todo, 'source' | 'status'>): MessageKey {
  if (todo.source === 'approval') return 'todo.viewApproval'
  return todo.status === 'pending' ? 'todo.handle' : 'todo.view'
}

/** The link only when it is a web address: a `javascript:` link must never become a button. */
export function safeLink(link: string): string | null {
  try {
    const u = new URL(link)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null
  } catch {
    return null
  }
}
