import type { NavigationGuard } from 'vue-router'
import type { Role } from '@portal/shared'
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

export interface AdminGuardDeps {
  /** The signed-in member's roles; null while unknown (the session could not be loaded). */
  roles: () => readonly Role[] | null
}

/**
 * Admin console pages (`meta.admin`) need the `admin` role. A member without it gets a page that
 * says so instead of a console whose every request fails. Runs after the session guard; with the
 * roles unknown it lets the navigation through (the shell shows the load error; the BFF enforces).
 */
export function createAdminGuard(deps: AdminGuardDeps): NavigationGuard {
  return (to) => {
    if (!to.meta.admin) return true
    const roles = deps.roles()
    if (!roles || roles.includes('admin')) return true
    return { name: 'problem', query: { reason: 'admin_only' }, replace: true }
  }
}
