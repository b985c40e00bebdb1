import { defineStore } from 'pinia'
import { computed, shallowReactive, shallowRef } from 'vue'
import type { Todo, TodoList } from '@portal/shared'
import { fetchTodo, fetchTodos, type TodoTab } from '../api/todos'
import type { ApiRequestError } from '../api/http'
import { requestFailed } from '../lib/reauth'
import type { LoadStatus } from './directory'

export type { TodoTab }

export interface TodoListState {
  items: readonly Todo[]
  /** `error` only while nothing was ever loaded; a failed refresh keeps `ready` and sets `error`. */
  status: LoadStatus
  error: ApiRequestError | null
  /** When the last answer arrived (ms), null before the first. */
  fetchedAt: number | null
  /** The next page (older todos), null when every one is here. */
  nextCursor: string | null
  /** A next page is on its way, or failed to come (retry with loadMore). */
  more: 'idle' | 'loading' | 'error'
}

export type TodoCounts = TodoList['counts']

/** A list fetched this recently is not fetched again by `freshen` (route changes, tab switches). */
export const TODOS_FRESH_MS = 10_000
/** Route changes and coming back to the app within this window make one badge request. */
export const BADGE_DEBOUNCE_MS = 400
/** Coming back to the app: only an answer this young (the page's own refresh) is fresh enough. */
export const ON_SHOW_MAX_AGE_MS = 2_000
const DETAIL_CACHE_SIZE = 30

const emptyList = (): TodoListState => ({ items: [], status: 'idle', error: null, fetchedAt: null, nextCursor: null, more: 'idle' })

/**
 * The member's todos. The pending list doubles as the source of the tab bar badge and the home
 * card (one request gives the list and both counts), so this store stays small.
 */
export const useTodosStore = defineStore('todos', () => {
  const lists = shallowRef<Record<TodoTab, TodoListState>>({ pending: emptyList(), done: emptyList() })
  const counts = shallowRef<TodoCounts | null>(null)
  /** When any list last arrived (ms). */
  const lastFetched = shallowRef<number | null>(null)
  const pendingCount = computed(() => counts.value?.pending ?? null)
  const details = shallowReactive(new Map<string, Todo>())
  const inFlight: Partial<Record<TodoTab, Promise<void>>> = {}

  function setList(tab: TodoTab, next: TodoListState): void {
    lists.value = { ...lists.value, [tab]: next }
  }

  /** Fetches a tab now; callers at the same time share one request. Never throws. */
  function refresh(tab: TodoTab = 'pending'): Promise<void> {
    inFlight[tab] ??= (async () => {
      const before = lists.value[tab]
      const loaded = before.fetchedAt !== null
      setList(tab, { ...before, status: loaded ? before.status : 'loading', error: null })
      try {
        const res = await fetchTodos(tab)
        const now = Date.now()
        counts.value = res.counts
        lastFetched.value = now
        // The first page again: pages loaded after it are dropped (they may have moved on).
        setList(tab, { items: Object.freeze(res.items), status: 'ready', error: null, fetchedAt: now, nextCursor: res.nextCursor, more: 'idle' })
      } catch (e) {
        const err = requestFailed(e)
        const cur = lists.value[tab]
        setList(tab, { ...cur, status: loaded ? 'ready' : 'error', error: err })
      } finally {
        delete inFlight[tab]
      }
    })()
    return inFlight[tab]
  }

  /**
   * The page after the last one here, appended (a todo that moved up since is not shown twice).
   * A refresh at the same time wins: what this brings is dropped. Never throws.
   */
  async function loadMore(tab: TodoTab): Promise<void> {
    const before = lists.value[tab]
    if (!before.nextCursor || before.more === 'loading' || inFlight[tab]) return
    setList(tab, { ...before, more: 'loading' })
    try {
      const res = await fetchTodos(tab, before.nextCursor)
      const cur = lists.value[tab]
      if (cur.fetchedAt !== before.fetchedAt) return
      const have = new Set(cur.items.map((x) => x.id))
      counts.value = res.counts
      setList(tab, { ...cur, items: Object.freeze([...cur.items, ...res.items.filter((x) => !have.has(x.id))]), nextCursor: res.nextCursor, more: 'idle' })
    } catch (e) {
      requestFailed(e)
      const cur = lists.value[tab]
      if (cur.fetchedAt === before.fetchedAt) setList(tab, { ...cur, more: 'error' })
    }
  }

  /** Fetches unless an answer younger than `maxAge` is here (or one is on its way). */
  function freshen(tab: TodoTab = 'pending', maxAge = TODOS_FRESH_MS, now = Date.now()): Promise<void> {
    const at = lists.value[tab].fetchedAt
    if (inFlight[tab]) return inFlight[tab]
    if (at !== null && now - at < maxAge && !lists.value[tab].error) return Promise.resolve()
    return refresh(tab)
  }

  /** What we already know of a todo (its last detail answer, or a list row). */
  function cachedTodo(id: string): Todo | undefined {
    return details.get(id) ?? lists.value.pending.items.find((x) => x.id === id) ?? lists.value.done.items.find((x) => x.id === id)
  }

  /** One todo from the BFF. Throws ApiRequestError (`not_found`: not this member's). */
  async function loadTodo(id: string): Promise<Todo> {
    try {
      const todo = await fetchTodo(id)
      details.delete(id)
      details.set(id, todo)
      if (details.size > DETAIL_CACHE_SIZE) details.delete(details.keys().next().value!)
      return todo
    } catch (e) {
      throw requestFailed(e)
    }
  }

  return { lists, counts, pendingCount, lastFetched, refresh, loadMore, freshen, cachedTodo, loadTodo }
})
