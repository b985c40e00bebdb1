import type { SyncRun } from '@portal/shared'
import { endMembersSessions } from '../auth/sessions'
import type { PrincipalCache } from '../auth/principal-cache'
import type { Db } from '../db'
import type { Logger } from '../log'
import { WeComError, WeComTransportError, type WeComClient } from '../wecom'
import { disableMembers, removeDepartments, upsertDepartments } from './apply-diff'
import { diffDepartments, MemberDiff, type DepartmentDiff, type Leftovers } from './diff'
import { withSyncLock } from './leader-lock'
import { createApiLimiter } from '../rate/api-limiter'
import { createRateBudgets } from '../rate/budget'
import { DEFAULT_RETRY, type RetryOptions, type WindowLimiter } from './pacing'
import { readDirectory } from './read-wecom'
import { Staging } from './staging'
import { loadSyncState } from './store-state'
import { createRun, emptyCounts, failStaleRuns, finishRun, HOLD_SAMPLE_SIZE, reportProgress, type RunError, type StoredHold } from './sync-runs'
import { bumpDirectoryVersion } from './version'
import type { RuntimeSettings } from '../admin/settings/runtime'

export interface SyncEngineDeps {
  db: Db
  /** The AgentId, read at each run: one saved in the console applies without a restart. */
  settings: Pick<RuntimeSettings, 'get'>
  wecom: WeComClient
  log: Logger
  now: () => number
  principals: PrincipalCache
  /** Share of the directory's members a run may disable without an admin's confirmation. */
  maxDisableShare: number
  concurrency?: number
  /** Members per write to the staging table (tests make it small to stage mid-read). */
  stageBatch?: number
  retry?: RetryOptions
  limiter?: WindowLimiter
  /** Hears how each run ended (metrics); never changes the outcome. */
  onFinished?: (run: { kind: SyncRun['kind']; status: 'succeeded' | 'failed' | 'held'; seconds: number; rowsWritten: number }) => void
}

export interface RunRequest {
  kind: SyncRun['kind']
  trigger: SyncRun['trigger']
  /** Set when an admin confirmed a held run: how many disables they agreed to. */
  allowDisableUpTo?: number
  onProgress?: (p: SyncRun['progress']) => void
  /** Called once the run is recorded, with its id. */
  onStarted?: (runId: number) => void
  /**
   * The server is stopping: the read ends at the next WeCom call or page, the run is recorded as
   * failed and nothing is written. Once the write transaction has begun it runs to its end (one
   * transaction: it commits whole, or a process that dies first leaves it rolled back).
   */
  signal?: AbortSignal
}

/** A run cut short by a stop (SIGTERM): it wrote nothing. */
export class SyncStopped extends Error {
  constructor() {
    super('stopped: the server is shutting down; nothing was written (the next run starts over)')
    this.name = 'SyncStopped'
  }
}

/** These stop a run at once; retrying cannot help until an admin acts. */
const STOPPERS = new Set([60020, 48009, 40001, 40013, 40091, 48002, 50003])

/**
 * One directory sync: read everything WeCom lets the app see, then write only the difference.
 * Nothing is written unless the whole read succeeded; people missing upstream are disabled, never
 * deleted; a run that would disable more than `maxDisableShare` of the members is held.
 */
export function createSyncEngine(d: SyncEngineDeps) {
  const limiter = d.limiter ?? createApiLimiter({ budgets: createRateBudgets(d.db), now: d.now })
  const retry: RetryOptions = {
    ...(d.retry ?? DEFAULT_RETRY),
    onRetry: (e, attempt, waitMs) => d.log.warn('WeCom call retried', { attempt, waitMs: Math.round(waitMs), err: e }),
  }

  async function run(req: RunRequest): Promise<{ runId: number; status: SyncRun['status'] } | 'busy'> {
    const checkStopped = () => {
      if (req.signal?.aborted) throw new SyncStopped()
    }
    // A retry's backoff (up to a minute for 45009) ends at once when the server stops.
    const runRetry: RetryOptions = req.signal ? { ...retry, sleep: (ms) => untilStopped(retry.sleep(ms), req.signal!) } : retry
    return withSyncLock(d.db, async (stillLeader) => {
      // Holding the lock, no run is going on anywhere: one still marked running died with its
      // process or lost its database before it could record its end.
      await failStaleRuns(d.db, new Date(d.now()), 0)
      const id = await createRun(d.db, req.kind, req.trigger, new Date(d.now()))
      req.onStarted?.(id)
      const counts = emptyCounts()
      let progress: SyncRun['progress'] = { phase: 'reading', done: 0, total: 0 }
      let lastReport = 0
      const report = (p: SyncRun['progress'], force = false) => {
        progress = p
        req.onProgress?.(p)
        if (!force && d.now() - lastReport < 500) return
        lastReport = d.now()
        void reportProgress(d.db, id, p, new Date(d.now())).catch((e) => d.log.warn('sync progress not saved', { err: e }))
      }
      const staging = new Staging(d.db, id, d.stageBatch)
      const started = d.now()
      const finished = (status: 'succeeded' | 'failed' | 'held') => {
        try {
          d.onFinished?.({ kind: req.kind, status, seconds: (d.now() - started) / 1000, rowsWritten: counts.rowsWritten })
        } catch {
          // An observer must not fail a run.
        }
        return { runId: id, status }
      }
      try {
        // Whatever an earlier run left (a crash) is never merged by this one.
        await Staging.clear(d.db)
        // Load the stored hashes while WeCom's first answers come in. A member a callback adds
        // meanwhile is simply absent from the stored side: staged as new, never wrongly disabled.
        // Both are awaited only later (or never, when the read fails first): a rejection meanwhile
        // must not go unhandled, which would end the process (the database going away mid-read).
        const stored = loadSyncState(d.db)
        const members = stored.then((s) => new MemberDiff(s.members, req.kind === 'force'))
        for (const p of [stored, members]) p.catch(() => {})
        // Each page is compared as it arrives and only new or changed members are staged: the
        // run holds a few pages, not the directory.
        // Members read so far go with the progress: the run's counts are known only after the read.
        let membersRead = 0
        const departments = await readDirectory(d.wecom, {
          agentId: d.settings.get('agentId'),
          concurrency: d.concurrency ?? 8,
          retry: runRetry,
          limiter,
          beforeCall: checkStopped,
          onProgress: (done, total) => report({ phase: 'reading', done, total, members: membersRead }),
          onMembers: async (page) => {
            checkStopped()
            const diff = await members
            await staging.add(diff.changed(page))
            membersRead = diff.membersSeen
          },
        })
        await staging.flush()
        checkStopped()
        const readMs = d.now() - started
        const state = await stored
        const diff = await members
        counts.departmentsSeen = departments.length
        counts.membersSeen = diff.membersSeen
        report({ phase: 'comparing', done: 0, total: 1 }, true)
        const deps = diffDepartments(state.departments, departments, req.kind === 'force')
        const left = diff.leftovers()
        const hold = holdFor(left, req.allowDisableUpTo)
        if (hold) {
          d.log.warn('sync held: it would disable too many members', { runId: id, wouldDisable: hold.wouldDisable, members: hold.members, maxShare: hold.maxShare })
          await finishRun(d.db, id, { status: 'held', counts, errors: [], hold, progress: { phase: 'held', done: 0, total: 0 } }, new Date(d.now()))
          return finished('held')
        }
        checkStopped()
        report({ phase: 'writing', done: 0, total: 1 }, true)
        const now = new Date(d.now())
        const writeStarted = d.now()
        counts.rowsWritten = await d.db.transaction(async (tx) => {
          await stillLeader(tx)
          let rows = await upsertDepartments(tx, [...deps.created, ...deps.updated], now)
          rows += await removeDepartments(tx, deps.removed, now)
          rows += await staging.merge(tx, now)
          rows += await disableMembers(tx, left.disabled, now)
          await bumpDirectoryVersion(tx, rows > 0, now)
          return rows
        })
        Object.assign(counts, countsOf(deps, diff, left))
        await revokeLeavers([...left.disabled, ...diff.leavers])
        await finishRun(d.db, id, { status: 'succeeded', counts, errors: [], progress: { phase: 'done', done: 1, total: 1 } }, new Date(d.now()))
        d.log.info('sync finished', { runId: id, kind: req.kind, ...counts, readMs, writeMs: d.now() - writeStarted })
        return finished('succeeded')
      } catch (e) {
        const err = describe(e)
        if (e instanceof SyncStopped) d.log.info('sync stopped: the server is shutting down; nothing was written', { runId: id })
        else d.log.warn('sync failed; nothing was written', { runId: id, ...err })
        await finishRun(d.db, id, { status: 'failed', counts, errors: [err], progress }, new Date(d.now()))
        return finished('failed')
      } finally {
        // A failed or held run's staged members are dropped; a merged run's are spent. Its last
        // take from the WeCom budget, made ahead of need, lands before the run ends.
        await staging.settled()
        await limiter.settled()
        await Staging.clear(d.db).catch((e) => d.log.warn('sync staging not cleared', { runId: id, err: e }))
      }
    })
  }

  /** The guard weighs the very people `disableMembers` would disable, so the counts agree. */
  function holdFor(diff: Leftovers, allowed?: number): StoredHold | undefined {
    const n = diff.disabled.length
    if (n === 0 || diff.members === 0) return undefined
    if (allowed !== undefined && n <= allowed) return undefined
    if (n <= d.maxDisableShare * diff.members) return undefined
    return { wouldDisable: n, members: diff.members, maxShare: d.maxDisableShare, sample: diff.disabled.slice(0, HOLD_SAMPLE_SIZE) }
  }

  /** Sessions end when a member is disabled here or stops being active in WeCom (all at once: 5,000 one by one took 4–4.6 s). */
  async function revokeLeavers(userids: string[]): Promise<void> {
    await endMembersSessions(d, userids)
  }

  return { run }
}

export type SyncEngine = ReturnType<typeof createSyncEngine>

function countsOf(deps: DepartmentDiff, members: MemberDiff, left: Leftovers) {
  return {
    departmentsCreated: deps.created.length,
    departmentsUpdated: deps.updated.length,
    departmentsRemoved: deps.removed.length,
    membersCreated: members.created,
    membersUpdated: members.updated,
    membersDisabled: left.disabled.length,
  }
}

/** `p`, or a SyncStopped rejection as soon as `signal` aborts. */
function untilStopped<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new SyncStopped())
  let onAbort!: () => void
  const stopped = new Promise<never>((_, reject) => signal.addEventListener('abort', (onAbort = () => reject(new SyncStopped())), { once: true }))
  return Promise.race([p, stopped]).finally(() => signal.removeEventListener('abort', onAbort))
}

function describe(e: unknown): RunError {
  if (e instanceof WeComError) {
    const stop = STOPPERS.has(e.errcode) ? ' (stopped: an admin must fix this first)' : ''
    return { errcode: e.errcode, message: `WeCom ${e.path} answered ${e.errcode}${stop}`, ...(e.hint ? { hint: e.hint } : {}) }
  }
  if (e instanceof WeComTransportError) return { message: `WeCom unreachable: ${e.message}`, hint: 'Check outbound network, WECOM_API_BASE and HTTPS_PROXY.' }
  return { message: e instanceof Error ? e.message : String(e) }
}
