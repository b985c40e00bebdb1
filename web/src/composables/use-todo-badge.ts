import { computed, onBeforeUnmount, watch, type ComputedRef, type Ref } from 'vue'
import { useRoute } from 'vue-router'
import { BADGE_DEBOUNCE_MS, ON_SHOW_MAX_AGE_MS, TODOS_FRESH_MS, useTodosStore } from '../stores/todos'
import { debounce } from '../lib/debounce'
import { onAppVisible } from './use-app-visible'

/**
 * The tab bar's badge: the pending count (undefined at zero or unknown), while `shown`. Fetched
 * when the bar appears, on each route change (unless just fetched) and when the app is shown
 * again (the member may have approved in WeCom) unless the page has just fetched it itself.
 */
export function useTodoBadge(shown: Readonly<Ref<boolean>>): ComputedRef<number | undefined> {
  const route = useRoute()
  const todos = useTodosStore()
  const update = debounce((maxAge: number) => shown.value && void todos.freshen('pending', maxAge), BADGE_DEBOUNCE_MS)
  watch(shown, (on) => (on ? void todos.freshen('pending') : update.cancel()), { immediate: true })
  watch(
    () => route.path,
    () => update(TODOS_FRESH_MS),
  )
  onAppVisible(() => update(ON_SHOW_MAX_AGE_MS))
  onBeforeUnmount(() => update.cancel())
  return computed(() => todos.pendingCount || undefined)
}
