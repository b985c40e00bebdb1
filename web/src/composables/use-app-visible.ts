import { onScopeDispose } from 'vue'

/**
 * Calls `cb` when the page is shown again: back from the WeCom approval or the host app (the
 * tab became visible, or the page came back from the back-forward cache). Listens until the
 * component or effect scope it was called in ends.
 */
export function onAppVisible(cb: () => void): void {
  const onVisibility = () => {
    if (document.visibilityState === 'visible') cb()
  }
  const onPageShow = (e: PageTransitionEvent) => {
    if (e.persisted) cb()
  }
  document.addEventListener('visibilitychange', onVisibility)
  window.addEventListener('pageshow', onPageShow)
  onScopeDispose(() => {
    document.removeEventListener('visibilitychange', onVisibility)
    window.removeEventListener('pageshow', onPageShow)
  })
}
