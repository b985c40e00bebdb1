import { computed, onScopeDispose, watch, type ComputedRef, type Ref } from 'vue'
import { useRoute } from 'vue-router'
import { BADGE_DEBOUNCE_MS, ON_SHOW_MAX_AGE_MS, TODOS_FRESH_MS, useTodosStore } from '../stores/todos'
import { debounce } from '../lib/debounce'
import { onAppVisible } from './use-app-visible'

type TodosStore = ReturnType<typeof useTodosStore>

/**
 * Keeps the pending count fresh while `on`: fetched when it turns on, on each route change
 * (unless just fetched) and when the app is shown again (the member may have approved in WeCom)
 * unless the page has just fetched it itself. The tab bar's badge and the embed bridge's count
 * for the host both use it; it stops with the component or effect scope it runs in.
 */
export function keepPendingFresh(todos: TodosStore, on: Readonly<Ref<boolean>>, path: () => string): void {
  const update = debounce((maxAge: number) => on.value && void todos.freshen('pending', maxAge), BADGE_DEBOUNCE_MS)
  watch(on, (shown) => (shown ? void todos.freshen('pending') : update.cancel()), { immediate: true })
  watch(path, () => update(TODOS_FRESH_MS))
  onAppVisible(() => update(ON_SHOW_MAX_AGE_MS))
  onScopeDispose(() => update.cancel())
}

/** The tab bar's badge: the pending count (undefined at zero or unknown), kept fresh while `shown`. */
export function useTodoBadge(shown: Readonly<Ref<boolean>>): ComputedRef<number | undefined> {
  const route = useRoute()
  const todos = useTodosStore()
  keepPendingFresh(todos, shown, () => route.path)
  return computed(() => todos.pendingCount || undefined)
}
