import { auditListSchema, callbackCredentialsSchema, doctorReportSchema, rolesViewSchema, settingsViewSchema, setupValuesSchema, syncPreviewSchema, verifyFileListSchema, verifyFileSchema } from './contract/admin'
import { syncRunSchema } from './contract/directory'
import { endpoints, type Endpoint } from './endpoints'

/**
 * The admin console's endpoints, apart from `endpoints` so the H5's first-load chunk (members)
 * does not carry the console's schemas.
 */
export const adminEndpoints = {
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
} as const satisfies Record<string, Endpoint>

/** Every endpoint of the BFF (tests walk this one). */
// A pure call, so bundlers drop it (and the admin schemas) where it is not used.
export const allEndpoints = /* @__PURE__ */ Object.assign({}, endpoints, adminEndpoints)
export type AdminEndpointName = keyof typeof adminEndpoints
