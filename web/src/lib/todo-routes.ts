import type { RouteLocationRaw } from 'vue-router'
import type { TodoTab } from '../api/todos'

export const todosRoute = (tab: TodoTab = 'pending'): RouteLocationRaw => ({ name: 'todos', query: tab === 'done' ? { tab } : {} })
export const todoRoute = (id: string): RouteLocationRaw => ({ name: 'todo', params: { id } })
