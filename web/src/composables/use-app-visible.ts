import { onBeforeUnmount, onMounted } from 'vue'

/**
 * Calls `cb` when the page is shown again: back from the WeCom approval or the host app (the
 * tab became visible, or the page came back from the back-forward cache).
 */
export function onAppVisible(cb: () => void): void {
  const onVisibility = () => {
    if (document.visibilityState === 'visible') cb()
  }
  const onPageShow = (e: PageTransitionEvent) => {
    if (e.persisted) cb()
  }
  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility)
    window.addEventListener('pageshow', onPageShow)
  })
  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', onVisibility)
    window.removeEventListener('pageshow', onPageShow)
  })
}
