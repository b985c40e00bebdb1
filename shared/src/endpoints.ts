import type { z } from 'zod/mini'
import { departmentTreeSchema, memberDetailSchema, memberPageSchema, searchResultSchema } from './contract/directory'
import { jssdkSignaturesSchema } from './contract/jssdk'
import { contactConsentStartSchema, myContactSchema } from './contract/member-contact'
import { appInfoSchema, loginOptionsSchema, meSchema } from './contract/session'
import { hostTodoSchema, todoListSchema, todoSchema } from './contract/todos'

/**
 * The HTTP surface of the BFF. Paths marked `external` are relied on from outside (WeCom's
 * console, the host app, bookmarks) and must not change.
 */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  path: string
  auth: 'public' | 'member' | 'admin' | 'host-key'
  /** Navigations (302s) have no JSON response. */
  response?: z.ZodMiniType
  external?: boolean
}

export const endpoints = {
  app: { method: 'GET', path: '/api/app', auth: 'public', response: appInfoSchema },
  me: { method: 'GET', path: '/api/me', auth: 'member', response: meSchema },
  loginOptions: { method: 'GET', path: '/api/auth/login-options', auth: 'public', response: loginOptionsSchema },
  logout: { method: 'POST', path: '/api/auth/logout', auth: 'public' },
  authLogin: { method: 'GET', path: '/auth/login', auth: 'public', external: true },
  authCallback: { method: 'GET', path: '/auth/callback', auth: 'public', external: true },
  health: { method: 'GET', path: '/healthz', auth: 'public', external: true },
  ready: { method: 'GET', path: '/readyz', auth: 'public', external: true },
  departments: { method: 'GET', path: '/api/directory/departments', auth: 'member', response: departmentTreeSchema, external: true },
  departmentMembers: { method: 'GET', path: '/api/directory/departments/:id/members', auth: 'member', response: memberPageSchema, external: true },
  otherMembers: { method: 'GET', path: '/api/directory/other-members', auth: 'member', response: memberPageSchema },
  search: { method: 'GET', path: '/api/directory/search', auth: 'member', response: searchResultSchema, external: true },
  member: { method: 'GET', path: '/api/directory/members/:userid', auth: 'member', response: memberDetailSchema, external: true },
  /** WeCom's URL check when an admin saves the callback URL (echostr). */
  wecomCallbackCheck: { method: 'GET', path: '/wecom/callback', auth: 'public', external: true },
  wecomCallback: { method: 'POST', path: '/wecom/callback', auth: 'public', external: true },
  todos: { method: 'GET', path: '/api/todos', auth: 'member', response: todoListSchema, external: true },
  todo: { method: 'GET', path: '/api/todos/:id', auth: 'member', response: todoSchema },
  hostUpsertTodo: { method: 'POST', path: '/api/host/todos', auth: 'host-key', response: hostTodoSchema, external: true },
  hostPatchTodo: { method: 'PATCH', path: '/api/host/todos/:externalId', auth: 'host-key', response: hostTodoSchema, external: true },
  hostNotify: { method: 'POST', path: '/api/host/notifications', auth: 'host-key', external: true },
  hostOpenApi: { method: 'GET', path: '/api/host/openapi.json', auth: 'public', external: true },
  myContact: { method: 'GET', path: '/api/me/contact', auth: 'member', response: myContactSchema },
  myContactConsent: { method: 'POST', path: '/api/me/contact/consent', auth: 'member', response: contactConsentStartSchema },
  myContactDismiss: { method: 'POST', path: '/api/me/contact/dismiss', auth: 'member', response: myContactSchema },
  myContactWithdraw: { method: 'DELETE', path: '/api/me/contact', auth: 'member', response: myContactSchema },
  jssdkSignatures: { method: 'GET', path: '/api/jssdk/signatures', auth: 'member', response: jssdkSignaturesSchema, external: true },
} as const satisfies Record<string, Endpoint>

export type EndpointName = keyof typeof endpoints
