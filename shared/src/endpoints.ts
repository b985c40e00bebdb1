import type { z } from 'zod/mini'
import { departmentTreeSchema, memberDetailSchema, memberPageSchema, searchResultSchema, syncRunSchema } from './contract/directory'
import { jssdkSignaturesSchema } from './contract/jssdk'
import { auditListSchema, doctorReportSchema, rolesViewSchema, callbackCredentialsSchema, settingsViewSchema, setupValuesSchema, syncPreviewSchema, verifyFileListSchema, verifyFileSchema } from './contract/admin'
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
  health: { method: 'GET', path: '/healthz', auth: 'public' },
  departments: { method: 'GET', path: '/api/directory/departments', auth: 'member', response: departmentTreeSchema, external: true },
  departmentMembers: { method: 'GET', path: '/api/directory/departments/:id/members', auth: 'member', response: memberPageSchema, external: true },
  search: { method: 'GET', path: '/api/directory/search', auth: 'member', response: searchResultSchema, external: true },
  member: { method: 'GET', path: '/api/directory/members/:userid', auth: 'member', response: memberDetailSchema, external: true },
  syncRuns: { method: 'GET', path: '/api/admin/sync/runs', auth: 'admin' },
  syncRun: { method: 'GET', path: '/api/admin/sync/runs/:id', auth: 'admin', response: syncRunSchema },
  startSync: { method: 'POST', path: '/api/admin/sync/runs', auth: 'admin', response: syncRunSchema },
  confirmSync: { method: 'POST', path: '/api/admin/sync/runs/:id/confirm', auth: 'admin', response: syncRunSchema },
  syncPreview: { method: 'GET', path: '/api/admin/sync/runs/:id/preview', auth: 'admin', response: syncPreviewSchema },
  adminSetup: { method: 'GET', path: '/api/admin/setup', auth: 'admin', response: setupValuesSchema },
  adminCallbackCredentials: { method: 'POST', path: '/api/admin/setup/callback-credentials', auth: 'admin', response: callbackCredentialsSchema },
  adminVerifyFiles: { method: 'GET', path: '/api/admin/verify-files', auth: 'admin', response: verifyFileListSchema },
  adminUploadVerifyFile: { method: 'POST', path: '/api/admin/verify-files', auth: 'admin', response: verifyFileSchema },
  adminDeleteVerifyFile: { method: 'DELETE', path: '/api/admin/verify-files/:name', auth: 'admin' },
  verifyFile: { method: 'GET', path: '/WW_verify_:code.txt', auth: 'public', external: true },
  adminSettings: { method: 'GET', path: '/api/admin/settings', auth: 'admin', response: settingsViewSchema },
  adminSaveSettings: { method: 'PUT', path: '/api/admin/settings', auth: 'admin', response: settingsViewSchema },
  adminDoctor: { method: 'POST', path: '/api/admin/doctor', auth: 'admin', response: doctorReportSchema },
  adminRoles: { method: 'GET', path: '/api/admin/roles', auth: 'admin', response: rolesViewSchema },
  adminGrantRole: { method: 'POST', path: '/api/admin/roles/grants', auth: 'admin', response: rolesViewSchema },
  adminRevokeRole: { method: 'DELETE', path: '/api/admin/roles/grants', auth: 'admin', response: rolesViewSchema },
  adminAudit: { method: 'GET', path: '/api/admin/audit', auth: 'admin', response: auditListSchema },
  wecomCallback: { method: 'POST', path: '/wecom/callback', auth: 'public', external: true },
  todos: { method: 'GET', path: '/api/todos', auth: 'member', response: todoListSchema, external: true },
  todo: { method: 'GET', path: '/api/todos/:id', auth: 'member', response: todoSchema },
  hostUpsertTodo: { method: 'POST', path: '/api/host/todos', auth: 'host-key', response: hostTodoSchema, external: true },
  hostPatchTodo: { method: 'PATCH', path: '/api/host/todos/:externalId', auth: 'host-key', response: hostTodoSchema, external: true },
  hostNotify: { method: 'POST', path: '/api/host/notifications', auth: 'host-key', external: true },
  hostOpenApi: { method: 'GET', path: '/api/host/openapi.json', auth: 'public', external: true },
  jssdkSignatures: { method: 'GET', path: '/api/jssdk/signatures', auth: 'member', response: jssdkSignaturesSchema, external: true },
} as const satisfies Record<string, Endpoint>

export type EndpointName = keyof typeof endpoints
