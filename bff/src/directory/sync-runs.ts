import type { SyncPreview, SyncRun } from '@portal/shared'
import type { Queryable } from '../db'

export type RunCounts = SyncRun['counts']
export type RunError = SyncRun['errors'][number]
/** A held run as stored: the API's `hold` plus a sample of who it would disable (for the preview). */
export type StoredHold = NonNullable<SyncRun['hold']> & { sample?: string[] }
/** Enough for an admin to judge a held run; names are looked up when they ask. */
export const HOLD_SAMPLE_SIZE = 100

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
  hold: StoredHold | string | null
}
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v)

function toRun(r: Row): SyncRun {
  const stored = r.hold ? json<Omit<StoredHold, 'members'> & { members?: number; activeMembers?: number }>(r.hold) : undefined
  // Builds before the guard counted everyone it disables stored `activeMembers`.
  const hold = stored
    ? { wouldDisable: stored.wouldDisable, members: stored.members ?? stored.activeMembers ?? 0, maxShare: stored.maxShare, ...(stored.confirmedBy ? { confirmedBy: stored.confirmedBy } : {}) }
    : undefined
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
  r: { status: Exclude<SyncRun['status'], 'running'>; counts: RunCounts; errors: RunError[]; hold?: StoredHold; progress: SyncRun['progress'] },
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
/** Marks runs still `running` whose heartbeat is older than `staleMs` (default 2 min) as failed. */
export async function failStaleRuns(db: Queryable, now: Date, staleMs = 120_000): Promise<number> {
  const rows = await db.query(
    `update sync_runs set status = 'failed', finished_at = $1, errors = errors || '[{"message":"interrupted: the process running it stopped"}]'::jsonb
      where status = 'running' and heartbeat_at < $2 returning 1`,
    [now, new Date(now.getTime() - staleMs)],
  )
  return rows.length
}

export async function getRun(db: Queryable, id: number): Promise<SyncRun | null> {
  const rows = await db.query<Row>('select id, kind, trigger, status, started_at, finished_at, progress, counts, errors, hold from sync_runs where id = $1', [id])
  return rows[0] ? toRun(rows[0]) : null
}

/** Newest first; `before` (a run id) pages by keyset, so runs started meanwhile shift nothing. */
export async function listRuns(db: Queryable, limit = 20, before?: number): Promise<SyncRun[]> {
  const rows = await db.query<Row>(
    'select id, kind, trigger, status, started_at, finished_at, progress, counts, errors, hold from sync_runs where ($2::int is null or id < $2) order by id desc limit $1',
    [limit, before ?? null],
  )
  return rows.map(toRun)
}

/** A run's status and its stored hold sample (userids), for the held-run preview. */
async function getHoldSample(db: Queryable, id: number): Promise<{ status: SyncRun['status']; hold: StoredHold | null } | null> {
  const rows = await db.query<{ status: SyncRun['status']; hold: StoredHold | string | null }>('select status, hold from sync_runs where id = $1', [id])
  const r = rows[0]
  return r ? { status: r.status, hold: r.hold ? json(r.hold) : null } : null
}

/** Who a held run would disable: its stored sample with names and main departments as they are now. */
export async function holdPreview(db: Queryable, id: number): Promise<SyncPreview | 'unknown' | 'not_held'> {
  const run = await getHoldSample(db, id)
  if (!run) return 'unknown'
  if (run.status !== 'held' || !run.hold) return 'not_held'
  const userids = run.hold.sample ?? []
  const rows = await db.query<{ userid: string; name: string; department: string | null }>(
    `select m.userid, m.name, d.name as department from members m left join departments d on d.id = m.main_department
      where lower(m.userid) = any($1)`,
    [userids.map((u) => u.toLowerCase())],
  )
  const byId = new Map(rows.map((r) => [r.userid.toLowerCase(), r]))
  return {
    runId: id,
    wouldDisable: run.hold.wouldDisable,
    sample: userids.map((u) => {
      const r = byId.get(u.toLowerCase())
      return { userid: u, name: r?.name ?? u, department: r?.department ?? '' }
    }),
  }
}

/**
 * Marks a held run as confirmed by run `by` (in the transaction that records the confirmation);
 * false when it was no longer held (another admin confirmed it first).
 */
export async function markConfirmed(db: Queryable, heldId: number, by: number): Promise<boolean> {
  const rows = await db.query(
    "update sync_runs set status = 'confirmed', hold = hold || jsonb_build_object('confirmedBy', $2::int) where id = $1 and status = 'held' returning 1",
    [heldId, by],
  )
  return rows.length > 0
}

/** Whether any sync has ever succeeded (the directory holds a real copy of the corp). */
export async function anySyncSucceeded(db: Queryable): Promise<boolean> {
  const [row] = await db.query<{ synced: boolean }>(`select exists (select 1 from sync_runs where status = 'succeeded') as synced`)
  return !!row?.synced
}

/** Finished runs that failed since the last one that did not (all instances), counting back at most 20. */
export async function syncFailuresInARow(db: Queryable): Promise<number> {
  const runs = await db.query<{ status: string }>("select status from sync_runs where status <> 'running' order by id desc limit 20")
  const failed = runs.findIndex((r) => r.status !== 'failed')
  return failed === -1 ? runs.length : failed
}
