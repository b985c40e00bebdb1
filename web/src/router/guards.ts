import type { NavigationGuard } from 'vue-router'
import type { SessionStatus } from '../stores/session'
import { authLoginPath, navigateFull } from '../lib/navigation'

export interface SessionGuardDeps {
  ensureSession: () => Promise<SessionStatus>
  /** Full-page navigation (the BFF's /auth/login answers with redirects). */
  navigate?: (path: string) => void
}

/**
 * Member pages need a session. No session → the BFF's login with the exact target as returnTo,
 * so a cold deep link lands where it pointed after sign-in. Network/5xx failures let the
 * navigation through: the shell shows an error state with retry instead of a blank page.
 */
export function createSessionGuard(deps: SessionGuardDeps): NavigationGuard {
  const navigate = deps.navigate ?? navigateFull
  return async (to) => {
    if (to.meta.public) return true
    const status = await deps.ensureSession()
    if (status === 'unauthenticated') {
      navigate(authLoginPath(to.fullPath))
      return false
    }
    if (status === 'forbidden') return { name: 'problem', query: { reason: 'no_role' }, replace: true }
    return true
  }
}
