import { onBeforeUnmount, watch, type Ref } from 'vue'
import { useRouter } from 'vue-router'
import { getActivePinia } from 'pinia'
import { useAppStore } from '../stores/app'
import { embedded } from '../lib/embed'
import type { HostWindow } from '../lib/embed-bridge'

export interface EmbedBridgeOptions {
  /** The app's root element: its height is what the host's iframe needs. */
  root: Readonly<Ref<HTMLElement | null | undefined>>
  /** The document title of the current page. */
  title: () => string
  /** Tests pass a fake; defaults to `window.parent` when the app runs in a frame. */
  host?: HostWindow
}

/**
 * Inside a host app's iframe (`?embed=1`), starts the bridge that posts to the host page. Outside
 * a frame it loads nothing: the bridge lives in its own chunk.
 */
export function useEmbedBridge(opts: EmbedBridgeOptions): void {
  const router = useRouter()
  // Using a store makes this component's pinia the active one; the lazy bridge gets that one.
  useAppStore()
  const pinia = getActivePinia()!
  const host = opts.host ?? (window.parent !== window ? window.parent : null)
  let stop: (() => void) | undefined
  let disposed = false

  watch(
    embedded,
    (on) => {
      if (!on || !host || stop) return
      void import('./embed-bridge-runtime').then(({ startEmbedBridge }) => {
        if (disposed || stop) return
        stop = startEmbedBridge({ router, pinia, root: opts.root, title: opts.title, host })
      })
    },
    { immediate: true },
  )
  onBeforeUnmount(() => {
    disposed = true
    stop?.()
  })
}
