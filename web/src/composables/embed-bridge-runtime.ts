import { computed, effectScope, ref, watch, type Ref } from 'vue'
import type { Router } from 'vue-router'
import type { Pinia } from 'pinia'
import type { EmbedMessage } from '@portal/shared'
import { useAppStore } from '../stores/app'
import { useSessionStore } from '../stores/session'
import { useTodosStore } from '../stores/todos'
import { keepPendingFresh } from './use-todo-badge'
import { whenRouterReady } from '../lib/router-ready'
import { hostPath, postToHost, watchHeight, type HostWindow } from '../lib/embed-bridge'

export interface EmbedBridgeDeps {
  router: Router
  pinia: Pinia
  /** The app's root element: its height is what the host's iframe needs. */
  root: Readonly<Ref<HTMLElement | null | undefined>>
  /** The document title of the current page. */
  title: () => string
  host: HostWindow
}

/**
 * The bridge itself, loaded only inside a frame (the first-load chunk stays as it was): tells the
 * host (only the EMBED_ORIGINS) that the app is ready, its height, the pending todo count and each
 * navigation. Returns the function that stops it.
 */
export function startEmbedBridge(d: EmbedBridgeDeps): () => void {
  const scope = effectScope(true)
  const cleanups: (() => void)[] = []
  scope.run(() => {
    const app = useAppStore(d.pinia)
    const session = useSessionStore(d.pinia)
    const todos = useTodosStore(d.pinia)
    const route = d.router.currentRoute

    const routerReady = ref(false)
    void whenRouterReady(d.router).then(() => (routerReady.value = true))
    const origins = computed(() => app.info?.embedOrigins ?? [])
    // Started only once embedded (a flag that never clears): origins and the first route decide.
    const active = computed(() => origins.value.length > 0 && routerReady.value)
    const post = (message: EmbedMessage) => postToHost(d.host, origins.value, message)
    const postTodos = () => {
      if (todos.pendingCount !== null) post({ source: 'wecom-portal', type: 'todos', pending: todos.pendingCount })
    }
    const postNavigate = () => post({ source: 'wecom-portal', type: 'navigate', path: hostPath(route.value.fullPath), title: d.title() })

    let stopHeight: (() => void) | undefined
    cleanups.push(() => stopHeight?.())
    watch(
      [active, d.root],
      ([on, el]) => {
        stopHeight?.()
        stopHeight = undefined
        if (!on || !el) return
        post({ source: 'wecom-portal', type: 'ready' })
        postNavigate()
        postTodos()
        stopHeight = watchHeight(el, (height) => post({ source: 'wecom-portal', type: 'height', height }))
      },
      { immediate: true },
    )
    watch([() => route.value.fullPath, d.title], () => active.value && postNavigate())
    watch(
      () => todos.pendingCount,
      () => active.value && postTodos(),
    )

    // App keeps the count fresh for the tab bar, hidden here: the bridge does the same for the host, when signed in.
    keepPendingFresh(
      todos,
      computed(() => active.value && session.status === 'ready'),
      () => route.value.path,
    )
  })
  return () => {
    scope.stop()
    cleanups.forEach((f) => f())
  }
}
