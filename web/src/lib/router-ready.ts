import type { Router } from 'vue-router'

/**
 * Resolves once a navigation has completed; never rejects. `router.isReady()` rejects when the
 * first navigation fails, and it does on every cold entry without a session: the guard starts the
 * full-page sign-in and aborts the navigation. Unhandled, that rejection reached the page as an
 * uncaught error (WeCom's debug console, a corp's error monitor). After a failure vue-router
 * resolves the next isReady() with the next navigation that completes, so this waits for that one.
 */
export async function whenRouterReady(router: Router): Promise<void> {
  for (;;) {
    try {
      await router.isReady()
      return
    } catch {
      // Aborted or failed first navigation: the guard or router.onError has dealt with it.
    }
  }
}
