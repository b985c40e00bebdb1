import type { Cron } from 'croner'
import { scheduleQuartz } from '../config/quartz'
import type { SyncRun } from '@portal/shared'
import { ApiFailure } from '../errors'
import type { Logger } from '../log'
import type { Db } from '../db'
import { countMembers } from './member-store'
import type { DirectoryReadModel } from './read-model'
import type { RunRequest, SyncEngine } from './sync-engine'
import { failStaleRuns } from './sync-runs'

export type RunResult = Awaited<ReturnType<SyncEngine['run']>>

/**
 * Starts sync runs in the background (admin API, schedules, start-up) and tells callers the run
 * id at once. Schedules: SYNC_CRON runs `full`, FORCE_SYNC_CRON runs `force`.
 */
export function createSyncService(d: { db: Db; engine: SyncEngine; readModel: DirectoryReadModel; log: Logger; now: () => number }) {
  const jobs: Cron[] = []
  // Aborted by stop(): the runs in progress end without writing (see RunRequest.signal).
  const stopping = new AbortController()
  const running = new Set<Promise<unknown>>()

  function start(req: Omit<RunRequest, 'onStarted' | 'signal'>): { runId: Promise<number>; done: Promise<RunResult> } {
    let started!: (id: number) => void
    let refused!: (e: unknown) => void
    const runId = new Promise<number>((res, rej) => ((started = res), (refused = rej)))
    if (stopping.signal.aborted) {
      const e = new ApiFailure('unavailable', 'The server is stopping; start the sync on another instance or after the restart.')
      refused(e)
      const done = Promise.reject(e)
      for (const p of [runId, done]) p.catch(() => {})
      return { runId, done }
    }
    const done = d.engine.run({ ...req, onStarted: started, signal: stopping.signal }).then(
      (r) => {
        if (r === 'busy') refused(new ApiFailure('conflict', 'A sync is already running.'))
        // Whoever started a run (the console, the CLI, the first run at start) reads it next; a
        // scheduled run's changes are seen once rebuilt, holding no request (as callbacks do).
        d.readModel.invalidate({ wait: req.trigger !== 'schedule' })
        return r
      },
      (e) => {
        refused(e)
        throw e
      },
    )
    // Unobserved rejections must not crash the process; the run records its own errors.
    runId.catch(() => {})
    done.catch((e) => d.log.error('sync crashed', { err: e }))
    const settled = done.catch(() => {}).finally(() => running.delete(settled))
    running.add(settled)
    return { runId, done }
  }

  const quiet = (kind: SyncRun['kind']) => () => void start({ kind, trigger: 'schedule' }).runId.catch(() => d.log.info('scheduled sync skipped: another is running', { kind }))
  function stopJobs(): void {
    for (const j of jobs.splice(0)) j.stop()
  }
  function runJobs(crons: { cron: string; forceCron: string }): void {
    stopJobs()
    jobs.push(scheduleQuartz(crons.cron, quiet('full')), scheduleQuartz(crons.forceCron, quiet('force')))
  }
  /** The patterns of the jobs running now (full, force), or null when not scheduled. */
  function scheduled(): { cron: string; forceCron: string } | null {
    const [full, force] = jobs
    return full && force && !full.isStopped() && !force.isStopped() ? { cron: full.getPattern() ?? '', forceCron: force.getPattern() ?? '' } : null
  }

  return {
    start,
    /** Scheduled runs, plus a first run now when the store has no members yet. */
    async schedule(crons: { cron: string; forceCron: string }): Promise<void> {
      await failStaleRuns(d.db, new Date(d.now()))
      runJobs(crons)
      if ((await countMembers(d.db)) === 0) void start({ kind: 'full', trigger: 'startup' }).runId.catch(() => {})
    },
    /** New schedules (changed in the console) in place of the running ones; nothing when never scheduled (SYNC_ENABLE=false). */
    reschedule(next: { cron: string; forceCron: string }): void {
      const now = scheduled()
      if (!now || (now.cron === next.cron && now.forceCron === next.forceCron)) return
      runJobs(next)
      d.log.info('sync schedules changed', next)
    },
    scheduled,
    /**
     * No more runs here; a run in progress stops reading and records itself failed, writing
     * nothing (or finishes its write transaction if it had begun). Resolves when it has ended
     * and so released the leader lock: another instance can take the next run at once.
     */
    async stop(): Promise<void> {
      stopJobs()
      stopping.abort()
      await Promise.all(running)
    },
  }
}

export type SyncService = ReturnType<typeof createSyncService>
