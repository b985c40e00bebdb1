import { auditEntrySchema, rolesViewSchema, syncPreviewSchema, syncRunSchema, type AuditEntry, type RoleGrant, type RolesView, type SyncPreview, type SyncRun } from '@portal/shared'

/** Every fixture goes through the shared schema, so a stub the BFF could never send fails here. */
function valid<T>(schema: { parse(v: unknown): T }, value: T): T {
  return schema.parse(value)
}

const zeroCounts: SyncRun['counts'] = {
  departmentsSeen: 0,
  membersSeen: 0,
  departmentsCreated: 0,
  departmentsUpdated: 0,
  departmentsRemoved: 0,
  membersCreated: 0,
  membersUpdated: 0,
  membersDisabled: 0,
  rowsWritten: 0,
}

export function syncRun(over: Omit<Partial<SyncRun>, 'counts'> & { counts?: Partial<SyncRun['counts']> } = {}): SyncRun {
  return valid(syncRunSchema, {
    id: 7,
    kind: 'full',
    trigger: 'schedule',
    status: 'succeeded',
    startedAt: '2026-11-21T01:50:10.000Z',
    finishedAt: '2026-11-21T01:51:22.000Z',
    progress: { phase: 'done', done: 1, total: 1 },
    errors: [],
    ...over,
    counts: { ...zeroCounts, departmentsSeen: 12, membersSeen: 230, ...over.counts },
  })
}

export function runningRun(over: Omit<Partial<SyncRun>, 'counts'> = {}): SyncRun {
  return syncRun({ id: 9, trigger: 'manual', status: 'running', finishedAt: null, progress: { phase: 'reading', done: 120, total: 230 }, ...over })
}

export function heldRun(over: Omit<Partial<SyncRun>, 'counts'> = {}): SyncRun {
  return syncRun({
    id: 8,
    status: 'held',
    progress: { phase: 'held', done: 0, total: 0 },
    hold: { wouldDisable: 52, members: 230, maxShare: 0.2 },
    counts: { membersDisabled: 0 },
    ...over,
  })
}

export function syncPreview(over: Partial<SyncPreview> = {}): SyncPreview {
  return valid(syncPreviewSchema, {
    runId: 8,
    wouldDisable: 52,
    sample: [
      { userid: 'wangwu', name: '王五', department: '研发中心 / 质量组' },
      { userid: 'zhaoliu', name: '赵六', department: '市场部' },
    ],
    ...over,
  })
}

export function grant(over: Partial<RoleGrant> = {}): RoleGrant {
  return {
    kind: 'member',
    target: 'lisi',
    targetName: '李四',
    role: 'admin',
    grantedBy: 'zhangsan',
    grantedAt: '2026-11-19T08:00:00.000Z',
    source: 'stored',
    ...over,
  }
}

export function rolesView(over: Partial<RolesView> = {}): RolesView {
  return valid(rolesViewSchema, {
    policy: 'all-members',
    policyLocked: false,
    grants: [
      grant({ target: 'zhangsan', targetName: '张三', source: 'env', grantedBy: 'env' }),
      grant(),
      grant({ kind: 'department', target: '5', targetName: '质量组', role: 'member' }),
    ],
    ...over,
  })
}

export function auditEntry(over: Partial<AuditEntry> = {}): AuditEntry {
  return valid(auditEntrySchema, {
    id: 30,
    at: '2026-11-21T01:00:00.000Z',
    actor: 'zhangsan',
    actorName: '张三',
    action: 'grant',
    target: 'member lisi → admin',
    ...over,
  })
}
