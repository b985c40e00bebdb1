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
    /** Admin console: needs the `admin` role (the BFF enforces it too). */
    admin?: boolean
  }
}

// Every page is its own chunk so the first load carries only the shell.
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('../pages/HomePage.vue'), meta: { tabbar: true, titleKey: 'home.title' } },
  // One parent record so the 通讯录 tab stays active on department and member pages.
  {
    path: '/contacts',
    meta: { tabbar: true },
    children: [
      { path: '', name: 'contacts', component: () => import('../pages/DirectoryPage.vue'), meta: { titleKey: 'directory.title' } },
      {
        path: 'departments/:id(\\d+)',
        name: 'department',
        component: () => import('../pages/DepartmentPage.vue'),
        meta: { titleKey: 'directory.title' },
      },
      { path: 'others', name: 'other-members', component: () => import('../pages/OtherMembersPage.vue'), meta: { titleKey: 'directory.title' } },
      { path: 'members/:userid', name: 'member', component: () => import('../pages/MemberPage.vue'), meta: { titleKey: 'member.title' } },
    ],
  },
  // One parent record so the 待办 tab stays active on a todo. A todo is also a cold entry: the
  // link of a WeCom notification card lands on it after sign-in.
  {
    path: '/todos',
    meta: { tabbar: true },
    children: [
      { path: '', name: 'todos', component: () => import('../pages/TodoListPage.vue'), meta: { titleKey: 'todos.title' } },
      { path: ':id', name: 'todo', component: () => import('../pages/TodoDetailPage.vue'), meta: { titleKey: 'todo.title' } },
    ],
  },
  // The admin console. Desktop workbench first, usable at 375 px.
  {
    path: '/admin',
    meta: { admin: true },
    // English admins get the console's English text before the page renders (its own chunk).
    beforeEnter: () => import('../i18n/admin/use-admin-i18n').then((m) => m.ensureAdminLanguage()),
    children: [
      { path: '', name: 'admin', component: () => import('../pages/AdminHomePage.vue'), meta: { titleKey: 'admin.title' } },
      { path: 'setup', name: 'admin-setup', component: () => import('../pages/AdminSetupPage.vue'), meta: { titleKey: 'admin.setup' } },
      { path: 'settings', name: 'admin-settings', component: () => import('../pages/AdminSettingsPage.vue'), meta: { titleKey: 'admin.settings' } },
      { path: 'doctor', name: 'admin-doctor', component: () => import('../pages/AdminDoctorPage.vue'), meta: { titleKey: 'admin.doctor' } },
      { path: 'sync', name: 'admin-sync', component: () => import('../pages/AdminSyncPage.vue'), meta: { titleKey: 'admin.sync' } },
      { path: 'roles', name: 'admin-roles', component: () => import('../pages/AdminRolesPage.vue'), meta: { titleKey: 'admin.roles' } },
      { path: 'embed', name: 'admin-embed', component: () => import('../pages/AdminEmbedPage.vue'), meta: { titleKey: 'admin.embed' } },
    ],
  },
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
