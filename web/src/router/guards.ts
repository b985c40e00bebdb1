import type { NavigationGuard, RouteLocationNormalized } from 'vue-router'
import type { Role } from '@portal/shared'
import type { SessionStatus } from '../stores/session'
import { authLoginPath, navigateFull } from '../lib/navigation'

export interface SessionGuardDeps {
  ensureSession: () => Promise<SessionStatus>
  /** Full-page navigation (the BFF's /auth/login answers with redirects). */
  navigate?: (path: string) => void
  /** Starts downloading what the page will need (its chunks) while the session loads. */
  preload?: (to: RouteLocationNormalized) => void
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
    // Otherwise the router fetches the page's chunks only after /api/me: one more round trip on
    // every cold entry, which a phone on a mobile network feels. /api/me is asked first: over
    // HTTP/1.1 the chunks would take the browser's six connections ahead of it.
    const session = deps.ensureSession()
    deps.preload?.(to)
    const status = await session
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

/**
 * Calls the lazy loaders of the route's page components now; the router calls them again later
 * and gets the same module. A failed download is left to the router, which handles it.
 */
export function preloadRouteComponents(to: RouteLocationNormalized): void {
  for (const record of to.matched) {
    for (const component of Object.values(record.components ?? {})) {
      if (isLazy(component)) component().catch(() => {})
    }
  }
}

/** A lazy loader as vue-router tells it apart from a component (functional components carry these). */
function isLazy(c: unknown): c is () => Promise<unknown> {
  return typeof c === 'function' && !('displayName' in c) && !('props' in c) && !('__vccOpts' in c)
}
