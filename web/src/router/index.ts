import { createRouter, createWebHistory, type Router } from 'vue-router'
import type { Pinia } from 'pinia'
import { appBase, appUrl } from '../lib/app-base'
import { useSessionStore } from '../stores/session'
import { rememberEmbed } from '../lib/embed'
import { routes } from './routes'
import { loadAppTabbar } from '../components/layout/app-tabbar-loader'
import { createAdminGuard, createSessionGuard, preloadRouteComponents } from './guards'
import { ensureLanguage } from '../i18n/use-i18n'

export function createAppRouter(pinia: Pinia): Router {
  const router = createRouter({
    history: createWebHistory(appBase()),
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
  const session = useSessionStore(pinia)
  // Before the session guard: a sign-in it starts must know whether it runs in a host's iframe.
  router.beforeEach((to) => {
    rememberEmbed(to.query)
  })
  const preload = (to: Parameters<typeof preloadRouteComponents>[0]) => {
    preloadRouteComponents(to)
    if (to.meta.tabbar) loadAppTabbar().catch(() => {})
  }
  router.beforeEach(createSessionGuard({ ensureSession: () => session.ensureLoaded(), preload }))
  router.beforeEach(createAdminGuard({ roles: () => session.me?.roles ?? null }))
  // No page renders before its language's text: the English chunk (started when use-i18n loaded)
  // downloads beside /api/me, and is awaited only once the guards are through.
  router.beforeResolve(() => ensureLanguage())
  // After a redeploy the old page's chunks are gone; a full load of the target fetches new ones.
  router.onError((err: unknown, to) => {
    if (err instanceof TypeError && /dynamically imported module|Importing a module script/i.test(err.message)) {
      window.location.assign(appUrl(to.fullPath))
    }
  })
  return router
}
