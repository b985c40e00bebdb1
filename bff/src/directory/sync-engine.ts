import type { SyncRun } from '@portal/shared'
import { endMemberSessions } from '../auth/sessions'
import type { PrincipalCache } from '../auth/principal-cache'
import type { Db } from '../db'
import type { Logger } from '../log'
import { WeComError, WeComTransportError, type WeComClient } from '../wecom'
import { disableMembers, removeDepartments, upsertDepartments } from './apply-diff'
import { diffDepartments, MemberDiff, type DepartmentDiff, type DirectoryState, type Leftovers } from './diff'
import { withSyncLock } from './leader-lock'
import { createApiLimiter } from '../rate/api-limiter'
import { createRateBudgets } from '../rate/budget'
import { DEFAULT_RETRY, type RetryOptions, type WindowLimiter } from './pacing'
import { readDirectory } from './read-wecom'
import { Staging } from './staging'
import { loadSyncState } from './store-state'
import { isActive } from './member-store'
import { createRun, emptyCounts, finishRun, HOLD_SAMPLE_SIZE, reportProgress, type RunError, type StoredHold } from './sync-runs'
import { bumpDirectoryVersion } from './version'

export interface SyncEngineDeps {
  db: Db
  wecom: WeComClient
  log: Logger
  now: () => number
  principals: PrincipalCache
  /** Share of active members a run may disable without an admin's confirmation. */
  maxDisableShare: number
  concurrency?: number
  /** Members per write to the staging table (tests make it small to stage mid-read). */
  stageBatch?: number
  retry?: RetryOptions
  limiter?: WindowLimiter
}

export interface RunRequest {
  kind: SyncRun['kind']
  trigger: SyncRun['trigger']
  /** Set when an admin confirmed a held run: how many disables they agreed to. */
  allowDisableUpTo?: number
  onProgress?: (p: SyncRun['progress']) => void
  /** Called once the run is recorded, with its id. */
  onStarted?: (runId: number) => void
}

/** These stop a run at once; retrying cannot help until an admin acts. */
const STOPPERS = new Set([60020, 48009, 40001, 40013, 40091, 48002, 50003])

/**
 * One directory sync: read everything WeCom lets the app see, then write only the difference.
 * Nothing is written unless the whole read succeeded; people missing upstream are disabled, never
 * deleted; a run that would disable more than `maxDisableShare` of active members is held.
 */
export function createSyncEngine(d: SyncEngineDeps) {
  const limiter = d.limiter ?? createApiLimiter({ budgets: createRateBudgets(d.db), now: d.now })
  const retry: RetryOptions = {
    ...(d.retry ?? DEFAULT_RETRY),
    onRetry: (e, attempt, waitMs) => d.log.warn('WeCom call retried', { attempt, waitMs: Math.round(waitMs), err: e }),
  }

  async function run(req: RunRequest): Promise<{ runId: number; status: SyncRun['status'] } | 'busy'> {
    return withSyncLock(d.db, async () => {
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
      try {
        // Whatever an earlier run left (a crash) is never merged by this one.
        await Staging.clear(d.db)
        // Load the stored hashes while WeCom's first answers come in. A member a callback adds
        // meanwhile is simply absent from the stored side: staged as new, never wrongly disabled.
        const stored = loadSyncState(d.db)
        stored.catch(() => {})
        const members = stored.then((s) => new MemberDiff(s.members, req.kind === 'force'))
        // Each page is compared as it arrives and only new or changed members are staged: the
        // run holds a few pages, not the directory.
        // Members read so far go with the progress: the run's counts are known only after the read.
        let membersRead = 0
        const departments = await readDirectory(d.wecom, {
          concurrency: d.concurrency ?? 8,
          retry,
          limiter,
          onProgress: (done, total) => report({ phase: 'reading', done, total, members: membersRead }),
          onMembers: async (page) => {
            const diff = await members
            await staging.add(diff.changed(page))
            membersRead = diff.membersSeen
          },
        })
        await staging.flush()
        const readMs = d.now() - started
        const state = await stored
        const diff = await members
        counts.departmentsSeen = departments.length
        counts.membersSeen = diff.membersSeen
        report({ phase: 'comparing', done: 0, total: 1 }, true)
        const deps = diffDepartments(state.departments, departments, req.kind === 'force')
        const left = diff.leftovers()
        const hold = holdFor(left, state, req.allowDisableUpTo)
        if (hold) {
          d.log.warn('sync held: it would disable too many members', { runId: id, wouldDisable: hold.wouldDisable, activeMembers: hold.activeMembers, maxShare: hold.maxShare })
          await finishRun(d.db, id, { status: 'held', counts, errors: [], hold, progress: { phase: 'held', done: 0, total: 0 } }, new Date(d.now()))
          return { runId: id, status: 'held' as const }
        }
        report({ phase: 'writing', done: 0, total: 1 }, true)
        const now = new Date(d.now())
        const writeStarted = d.now()
        counts.rowsWritten = await d.db.transaction(async (tx) => {
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
        return { runId: id, status: 'succeeded' as const }
      } catch (e) {
        const err = describe(e)
        d.log.warn('sync failed; nothing was written', { runId: id, ...err })
        await finishRun(d.db, id, { status: 'failed', counts, errors: [err], progress }, new Date(d.now()))
        return { runId: id, status: 'failed' as const }
      } finally {
        // A failed or held run's staged members are dropped; a merged run's are spent.
        await staging.settled()
        await Staging.clear(d.db).catch((e) => d.log.warn('sync staging not cleared', { runId: id, err: e }))
      }
    })
  }

  function holdFor(diff: Leftovers, state: DirectoryState, allowed?: number): StoredHold | undefined {
    if (diff.activeDisabled === 0 || diff.activeMembers === 0) return undefined
    if (allowed !== undefined && diff.activeDisabled <= allowed) return undefined
    if (diff.activeDisabled <= d.maxDisableShare * diff.activeMembers) return undefined
    // Who the admin is asked about: active members only (the inactive ones are no loss).
    const sample: string[] = []
    for (const userid of diff.disabled) {
      if (sample.length >= HOLD_SAMPLE_SIZE) break
      const m = state.members.get(userid.toLowerCase())
      if (m && isActive(m)) sample.push(userid)
    }
    return { wouldDisable: diff.activeDisabled, activeMembers: diff.activeMembers, maxShare: d.maxDisableShare, sample }
  }

  /** Sessions end when a member is disabled here or stops being active in WeCom. */
  async function revokeLeavers(userids: string[]): Promise<void> {
    for (const userid of userids) await endMemberSessions(d, userid)
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

function describe(e: unknown): RunError {
  if (e instanceof WeComError) {
    const stop = STOPPERS.has(e.errcode) ? ' (stopped: an admin must fix this first)' : ''
    return { errcode: e.errcode, message: `WeCom ${e.path} answered ${e.errcode}${stop}`, ...(e.hint ? { hint: e.hint } : {}) }
  }
  if (e instanceof WeComTransportError) return { message: `WeCom unreachable: ${e.message}`, hint: 'Check outbound network, WECOM_API_BASE and HTTPS_PROXY.' }
  return { message: e instanceof Error ? e.message : String(e) }
}
