import type { SyncRun } from '@portal/shared'
import type { AdminMessageKey } from '../i18n/admin/use-admin-i18n'

const phases: Record<string, AdminMessageKey> = {
  // A run just recorded, before its first progress report (the column's default).
  starting: 'admin.ops.sync.phase.starting',
  reading: 'admin.ops.sync.phase.reading',
  comparing: 'admin.ops.sync.phase.comparing',
  writing: 'admin.ops.sync.phase.writing',
  held: 'admin.ops.sync.phase.held',
  done: 'admin.ops.sync.phase.done',
}

/** The engine's phase names in words; an unknown phase is shown as it comes. */
export function syncPhaseKey(phase: string): AdminMessageKey | undefined {
  return Object.hasOwn(phases, phase) ? phases[phase] : undefined
}

export const syncStatusKey: Record<SyncRun['status'], AdminMessageKey> = {
  running: 'admin.ops.sync.status.running',
  succeeded: 'admin.ops.sync.status.succeeded',
  failed: 'admin.ops.sync.status.failed',
  held: 'admin.ops.sync.status.held',
  cancelled: 'admin.ops.sync.status.cancelled',
  confirmed: 'admin.ops.sync.status.confirmed',
}

export const syncTriggerKey: Record<SyncRun['trigger'], AdminMessageKey> = {
  schedule: 'admin.ops.sync.trigger.schedule',
  startup: 'admin.ops.sync.trigger.startup',
  manual: 'admin.ops.sync.trigger.manual',
  cli: 'admin.ops.sync.trigger.cli',
}

export const syncKindKey: Record<SyncRun['kind'], AdminMessageKey> = {
  full: 'admin.ops.sync.kind.full',
  force: 'admin.ops.sync.kind.force',
}
