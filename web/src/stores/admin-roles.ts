import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { AuditEntry, RoleGrantInput, RolesView, SettingField } from '@portal/shared'
import { fetchAudit, fetchRoles, fetchSettings, grantRole, revokeRole, saveRolePolicy } from '../api/admin-ops'
import type { ApiRequestError } from '../api/http'
import { requestFailed } from '../lib/reauth'
import type { LoadStatus } from './directory'

export const AUDIT_PAGE_SIZE = 20
/** Named on the locked policy when the settings cannot be read (config.ts pins it from this var). */
const ROLE_POLICY_ENV = 'ROLE_POLICY'

/** Roles: the policy, the grants, and the audit log behind them. Mutations throw for the page to explain. */
export const useAdminRolesStore = defineStore('admin-roles', () => {
  const view = shallowRef<RolesView | null>(null)
  const status = shallowRef<LoadStatus>('idle')
  const error = shallowRef<ApiRequestError | null>(null)
  const policyField = shallowRef<SettingField | null>(null)

  const audit = shallowRef<readonly AuditEntry[]>([])
  const auditStatus = shallowRef<LoadStatus>('idle')
  const auditError = shallowRef<ApiRequestError | null>(null)
  /** False once a page came back shorter than asked. */
  const auditHasMore = shallowRef(true)

  const policyEnvVar = computed(() => policyField.value?.envVar ?? ROLE_POLICY_ENV)

  async function load(): Promise<void> {
    if (!view.value) status.value = 'loading'
    error.value = null
    // The settings only name the env var of a locked policy: their failure is not the page's.
    void fetchSettings()
      .then((s) => (policyField.value = s.fields.find((f) => f.key === 'rolePolicy') ?? null))
      .catch(() => undefined)
    try {
      view.value = await fetchRoles()
      status.value = 'ready'
    } catch (e) {
      error.value = requestFailed(e)
      status.value = view.value ? 'ready' : 'error'
    }
  }

  async function mutate(run: () => Promise<RolesView>): Promise<void> {
    try {
      view.value = await run()
    } catch (e) {
      throw requestFailed(e)
    } finally {
      // Every change is audited: the log on screen shows it at once.
      void reloadAudit()
    }
  }

  const grant = (input: RoleGrantInput) => mutate(() => grantRole(input))
  const revoke = (input: RoleGrantInput) => mutate(() => revokeRole(input))

  async function setPolicy(policy: RolesView['policy']): Promise<void> {
    try {
      const settings = await saveRolePolicy(policy)
      policyField.value = settings.fields.find((f) => f.key === 'rolePolicy') ?? policyField.value
      if (view.value) view.value = { ...view.value, policy }
    } catch (e) {
      throw requestFailed(e)
    } finally {
      void reloadAudit()
    }
  }

  // ---- audit log ---------------------------------------------------------------------------
  let auditSeq = 0

  async function fetchAuditPage(reset: boolean): Promise<void> {
    const seq = ++auditSeq
    const before = reset ? undefined : audit.value.at(-1)?.id
    auditStatus.value = 'loading'
    auditError.value = null
    try {
      const items = await fetchAudit({ limit: AUDIT_PAGE_SIZE, before })
      if (seq !== auditSeq) return
      const seen = new Set(reset ? [] : audit.value.map((x) => x.id))
      audit.value = [...(reset ? [] : audit.value), ...items.filter((x) => !seen.has(x.id))]
      auditHasMore.value = items.length >= AUDIT_PAGE_SIZE
      auditStatus.value = 'ready'
    } catch (e) {
      if (seq !== auditSeq) return
      auditError.value = requestFailed(e)
      auditStatus.value = 'error'
    }
  }

  const reloadAudit = () => fetchAuditPage(true)
  const loadMoreAudit = () => fetchAuditPage(false)

  return {
    view,
    status,
    error,
    policyField,
    policyEnvVar,
    audit,
    auditStatus,
    auditError,
    auditHasMore,
    load,
    grant,
    revoke,
    setPolicy,
    reloadAudit,
    loadMoreAudit,
  }
})
