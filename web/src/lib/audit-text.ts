import type { AuditEntry } from '@portal/shared'
import type { AdminMessageKey } from '../i18n/admin/use-admin-i18n'

type T = (key: AdminMessageKey, vars?: Record<string, string | number>) => string
type Lang = 'zh' | 'en'

/** What the BFF writes: setting keys, roles, run ids and sync kinds; in words for an admin. */
export interface AuditWords {
  t: T
  lang: Lang
  /** The member H5's role names (`role.admin`). */
  roleName: (role: string) => string
}

const kindKey: Record<string, AdminMessageKey> = { full: 'admin.ops.sync.kind.full', force: 'admin.ops.sync.kind.force' }
const policyKey: Record<string, AdminMessageKey> = { 'all-members': 'admin.ops.roles.policyAll', explicit: 'admin.ops.roles.policyExplicit' }

function fieldName(key: string, t: T): string {
  const k = `admin.settings.field.${key}` as AdminMessageKey
  const text = t(k)
  // A key this build does not know (written by a newer one): shown as it was stored.
  return typeof text === 'string' ? text : key
}

const runLabel = (id: string, w: AuditWords) => w.t('admin.ops.audit.run', { id })

/** The entry's target in the admin's language; text that is not one of ours is shown as stored. */
export function auditTarget(e: AuditEntry, w: AuditWords): string {
  const run = /^run (\d+)$/.exec(e.target)
  if (run && (e.action === 'sync_start' || e.action === 'sync_confirm')) return runLabel(run[1]!, w)
  if (e.action === 'settings' || e.action === 'policy') {
    return e.target
      .split(',')
      .map((k) => fieldName(k.trim(), w.t))
      .join(w.lang === 'en' ? ', ' : '、')
  }
  const dep = /^(.*) \(department (\d+)\)$/.exec(e.target)
  if (dep && (e.action === 'grant' || e.action === 'revoke')) return w.t('admin.ops.audit.department', { name: dep[1]!, id: dep[2]! })
  return e.target
}

/** The entry's detail in the admin's language, or undefined when it has none. */
export function auditDetail(e: AuditEntry, w: AuditWords): string | undefined {
  const d = e.detail
  if (!d) return undefined
  if (e.action === 'grant' || e.action === 'revoke') return w.t('admin.ops.audit.roleDetail', { role: w.roleName(d) })
  if (e.action === 'sync_start' && kindKey[d]) return w.t(kindKey[d])
  const confirm = /^run (\d+) may disable up to (\d+)$/.exec(d)
  if (e.action === 'sync_confirm' && confirm) return w.t('admin.ops.audit.confirmDetail', { run: runLabel(confirm[1]!, w), n: confirm[2]! })
  const policy = /^([\w-]+) → ([\w-]+)$/.exec(d)
  if (policy && policyKey[policy[1]!] && policyKey[policy[2]!]) return `${w.t(policyKey[policy[1]!]!)} → ${w.t(policyKey[policy[2]!]!)}`
  return d
}
