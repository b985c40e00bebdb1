import type { SyncRun } from '@portal/shared'
import type { Queryable } from '../db'

export type RunCounts = SyncRun['counts']
export type RunError = SyncRun['errors'][number]

export const emptyCounts = (): RunCounts => ({
  departmentsSeen: 0,
  membersSeen: 0,
  departmentsCreated: 0,
  departmentsUpdated: 0,
  departmentsRemoved: 0,
  membersCreated: 0,
  membersUpdated: 0,
  membersDisabled: 0,
  rowsWritten: 0,
})

type Row = {
  id: number
  kind: SyncRun['kind']
  trigger: SyncRun['trigger']
  status: SyncRun['status']
  started_at: Date
  finished_at: Date | null
  progress: SyncRun['progress'] | string
  counts: RunCounts | string
  errors: RunError[] | string
  hold: SyncRun['hold'] | string | null
}
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v)

function toRun(r: Row): SyncRun {
  const hold = r.hold ? json(r.hold) : undefined
  return {
    id: r.id,
    kind: r.kind,
    trigger: r.trigger,
    status: r.status,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
    progress: json(r.progress),
    counts: { ...emptyCounts(), ...json(r.counts) },
    errors: json(r.errors),
    ...(hold ? { hold } : {}),
  }
}

export async function createRun(db: Queryable, kind: SyncRun['kind'], trigger: SyncRun['trigger'], now: Date): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    "insert into sync_runs (kind, trigger, status, started_at, heartbeat_at, counts) values ($1, $2, 'running', $3, $3, $4) returning id",
    [kind, trigger, now, JSON.stringify(emptyCounts())],
  )
  return row!.id
}

export async function reportProgress(db: Queryable, id: number, progress: SyncRun['progress'], now: Date): Promise<void> {
  await db.query('update sync_runs set progress = $2, heartbeat_at = $3 where id = $1', [id, JSON.stringify(progress), now])
}

export async function finishRun(
  db: Queryable,
  id: number,
  r: { status: Exclude<SyncRun['status'], 'running'>; counts: RunCounts; errors: RunError[]; hold?: SyncRun['hold']; progress: SyncRun['progress'] },
  now: Date,
): Promise<void> {
  await db.query('update sync_runs set status = $2, counts = $3, errors = $4, hold = $5, progress = $6, finished_at = $7, heartbeat_at = $7 where id = $1', [
    id,
    r.status,
    JSON.stringify(r.counts),
    JSON.stringify(r.errors),
    r.hold ? JSON.stringify(r.hold) : null,
    JSON.stringify(r.progress),
    now,
  ])
}

/** Runs left "running" by a process that died (no heartbeat for 2 minutes) are marked failed. */
export async function failStaleRuns(db: Queryable, now: Date): Promise<number> {
  const rows = await db.query(
    `update sync_runs set status = 'failed', finished_at = $1, errors = errors || '[{"message":"interrupted: the process running it stopped"}]'::jsonb
      where status = 'running' and heartbeat_at < $2 returning 1`,
    [now, new Date(now.getTime() - 120_000)],
  )
  return rows.length
}

export async function getRun(db: Queryable, id: number): Promise<SyncRun | null> {
  const rows = await db.query<Row>('select id, kind, trigger, status, started_at, finished_at, progress, counts, errors, hold from sync_runs where id = $1', [id])
  return rows[0] ? toRun(rows[0]) : null
}

export async function listRuns(db: Queryable, limit = 20): Promise<SyncRun[]> {
  const rows = await db.query<Row>('select id, kind, trigger, status, started_at, finished_at, progress, counts, errors, hold from sync_runs order by id desc limit $1', [limit])
  return rows.map(toRun)
}
