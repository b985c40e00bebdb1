import type { RouteRecordRaw } from 'vue-router'
import type { MessageKey } from '../i18n/messages'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session; the session guard skips it. */
    public?: boolean
    /** Shows the bottom tab bar (member pages). */
    tabbar?: boolean
    /** Document title. */
    titleKey?: MessageKey
  }
}

// Every page is its own chunk so the first load carries only the shell.
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('../pages/HomePage.vue'), meta: { tabbar: true, titleKey: 'home.title' } },
  { path: '/me', name: 'me', component: () => import('../pages/MePage.vue'), meta: { tabbar: true, titleKey: 'me.title' } },
  { path: '/login', name: 'login', component: () => import('../pages/LoginPage.vue'), meta: { public: true, titleKey: 'login.title' } },
  { path: '/problem', name: 'problem', component: () => import('../pages/ProblemPage.vue'), meta: { public: true, titleKey: 'problem.title' } },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../pages/NotFoundPage.vue'),
    meta: { public: true, titleKey: 'notFound.title' },
  },
]
