import {
  auditListSchema,
  adminEndpoints,
  rolesViewSchema,
  settingsViewSchema,
  syncPreviewSchema,
  syncRunSchema,
  type AuditEntry,
  type RoleGrantInput,
  type RolesView,
  type SettingsView,
  type SyncPreview,
  type SyncRun,
} from '@portal/shared'
import { requestJson, type ResponseSchema } from './http'
import { fillPath, withQuery } from './paths'

/** `{items: T[]}` checked item by item with the shared schema (the list has no schema of its own). */
function itemsOf<T>(item: ResponseSchema<T>): ResponseSchema<{ items: T[] }> {
  return {
    safeParse(data) {
      const raw = (data as { items?: unknown } | null)?.items
      if (!Array.isArray(raw)) return { success: false, error: { message: 'items: expected an array' } }
      const items: T[] = []
      for (const [i, x] of raw.entries()) {
        const r = item.safeParse(x)
        if (!r.success) return { success: false, error: { message: `items[${i}]: ${r.error.message}` } }
        items.push(r.data)
      }
      return { success: true, data: { items } }
    },
  }
}

const syncRunListSchema = itemsOf(syncRunSchema)

function jsonBody(method: string, body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

// ---- sync --------------------------------------------------------------------------------

/** Newest first. */
export async function fetchSyncRuns(limit = 20): Promise<SyncRun[]> {
  return (await requestJson(withQuery(adminEndpoints.syncRuns.path, { limit }), syncRunListSchema)).items
}

export function fetchSyncRun(id: number): Promise<SyncRun> {
  return requestJson(fillPath(adminEndpoints.syncRun.path, { id }), syncRunSchema)
}

/** 202 with the new run; `conflict` (409) while another run holds the lock. */
export function startSync(kind: SyncRun['kind']): Promise<SyncRun> {
  return requestJson(adminEndpoints.startSync.path, syncRunSchema, jsonBody('POST', { kind }))
}

/** Runs a held run again, allowed to disable as many as it reported; answers the new run. */
export function confirmSync(id: number): Promise<SyncRun> {
  return requestJson(fillPath(adminEndpoints.confirmSync.path, { id }), syncRunSchema, { method: 'POST' })
}

export function fetchSyncPreview(id: number): Promise<SyncPreview> {
  return requestJson(fillPath(adminEndpoints.syncPreview.path, { id }), syncPreviewSchema)
}

// ---- roles -------------------------------------------------------------------------------

export function fetchRoles(): Promise<RolesView> {
  return requestJson(adminEndpoints.adminRoles.path, rolesViewSchema)
}

export function grantRole(input: RoleGrantInput): Promise<RolesView> {
  return requestJson(adminEndpoints.adminGrantRole.path, rolesViewSchema, jsonBody('POST', input))
}

/** `conflict` (409) when it would leave nobody with the admin role. */
export function revokeRole(input: RoleGrantInput): Promise<RolesView> {
  const path = withQuery(adminEndpoints.adminRevokeRole.path, { kind: input.kind, target: input.target, role: input.role })
  return requestJson(path, rolesViewSchema, { method: 'DELETE' })
}

export async function fetchAudit(q: { limit?: number; before?: number; action?: AuditEntry['action'] } = {}): Promise<AuditEntry[]> {
  return (await requestJson(withQuery(adminEndpoints.adminAudit.path, q), auditListSchema)).items
}

// ---- settings the ops pages read ---------------------------------------------------------

/** The role policy is the `rolePolicy` setting; this tells whether env pins it, and by which var. */
export function fetchSettings(): Promise<SettingsView> {
  return requestJson(adminEndpoints.adminSettings.path, settingsViewSchema)
}

/** `bad_request` with `fields.rolePolicy` when env pins the policy. */
export function saveRolePolicy(policy: RolesView['policy']): Promise<SettingsView> {
  return requestJson(adminEndpoints.adminSaveSettings.path, settingsViewSchema, jsonBody('PUT', { rolePolicy: policy }))
}
