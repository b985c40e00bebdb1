import type { Cron } from 'croner'
import { scheduleQuartz } from '../config/quartz'
import type { Db } from '../db'
import type { Logger } from '../log'
import { pruneBatch, RETENTION_RULES, type PruneWindow, type RetentionRule } from './rules'

const DAY = 86_400_000
/** Rows per delete: a short statement, so requests on PGlite's single connection wait little behind it. */
const BATCH = 1_000
/** Daily, at a quiet hour (server time); several instances take turns through a lock. */
const DAILY = '0 37 4 * * ?'
/** The first run after a start, so that an instance restarted every night still prunes. */
const FIRST_RUN_MS = 10 * 60_000
/** Advisory key, with the schema's hash (the other keys: directory/leader-lock.ts). */
const RETENTION_LOCK = 4_242_004
/** Databases a run in this process is pruning (PGlite lives in one process; tests run two apps on one handle). */
const pruning = new WeakSet<Db>()

export interface RetentionNeeds {
  db: Db
  log: Logger
  now: () => number
  /** RETENTION_DAYS; 0 keeps everything. */
  days: number
  /** Rows deleted, per table (metrics). */
  onPruned?: (table: string, rows: number) => void
  rules?: RetentionRule[]
  batch?: number
}

/** Rows deleted per table by one run; `busy` when another run had it, `off` when RETENTION_DAYS is 0. */
export type RetentionResult = Record<string, number> | 'busy' | 'off'

export interface Retention {
  /** One run now (the scheduled job, tests, the first run after a start); on PGlite it vacuums too. */
  run(): Promise<RetentionResult>
  /** The daily job, and a first run soon after a start. */
  start(): void
  /** No new batches; resolves when the one in progress is done. */
  stop(): Promise<void>
}

/**
 * Deletes what the app no longer needs (the rules say what and why) once a day: rows whose use
 * ended more than RETENTION_DAYS ago. Batches of BATCH rows, each its own statement, until one
 * finds nothing; a stop ends the run between batches, and the next run goes on where it stopped.
 * On PGlite the run then vacuums and analyzes every table (vacuumPglite), RETENTION_DAYS=0 or not.
 */
export function createRetention(d: RetentionNeeds): Retention {
  const rules = d.rules ?? RETENTION_RULES
  const batch = d.batch ?? BATCH
  let stopped = false
  let running: Promise<RetentionResult> | undefined
  let job: Cron | undefined
  let first: ReturnType<typeof setTimeout> | undefined

  /**
   * One statement of `rule`. On PostgreSQL its transaction takes the retention lock first, so
   * instances never delete side by side, and nothing stays open between two statements (a
   * transaction held open for the whole run made it twice as slow: measured). `busy`: another
   * instance holds it.
   */
  async function batchOf(rule: RetentionRule, window: PruneWindow, after?: string): Promise<{ n: number; last?: string } | 'busy'> {
    if (d.db.kind !== 'postgres') return pruneBatch(d.db, rule, window, after)
    return d.db.transaction(async (tx) => {
      const [lock] = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1, hashtext(current_schema())) as ok', [RETENTION_LOCK])
      return lock!.ok ? pruneBatch(tx, rule, window, after) : 'busy'
    })
  }

  async function prune(): Promise<RetentionResult> {
    const now = new Date(d.now())
    const window = { cutoff: new Date(now.getTime() - d.days * DAY), now, limit: batch }
    const deleted: Record<string, number> = {}
    let busy = false
    for (const rule of rules) {
      let total = 0
      let after: string | undefined
      while (!stopped) {
        const b = await batchOf(rule, window, after)
        // Another instance is pruning: it goes on from where this one got to.
        if (b === 'busy') {
          busy = true
          break
        }
        const n = b.n
        after = b.last ?? after
        total += n
        // Until a statement finds nothing: one may free another's rows (an update goes after its
        // card, and comes after it in key order too).
        if (n === 0) break
        // Whatever waits for the database goes between two batches.
        await new Promise((r) => setImmediate(r))
      }
      deleted[rule.table] = (deleted[rule.table] ?? 0) + total
      if (total) d.onPruned?.(rule.table, total)
      if (busy) break
    }
    return busy && !Object.values(deleted).some(Boolean) ? 'busy' : deleted
  }

  /**
   * PGlite runs PostgreSQL in single-user mode: nothing runs autovacuum (its setting says on) and
   * no table is analyzed. Space freed by deletes and updates was never reused (measured: a table
   * emptied of three quarters and refilled grew by 75%), and the planner never learned a table's
   * size. So each table is vacuumed and analyzed here, one statement each, others' queries between.
   */
  async function vacuumPglite(): Promise<void> {
    const started = performance.now()
    const tables = await d.db.query<{ name: string }>(
      "select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname = current_schema() order by c.relname",
    )
    for (const { name } of tables) {
      if (stopped) return
      await d.db.exec(`vacuum (analyze) "${name.replaceAll('"', '""')}"`)
      await new Promise((r) => setImmediate(r))
    }
    d.log.info('PGlite vacuumed and analyzed', { tables: tables.length, ms: Math.round(performance.now() - started) })
  }

  async function exclusive(): Promise<RetentionResult> {
    if (pruning.has(d.db)) return 'busy'
    pruning.add(d.db)
    try {
      const r = d.days === 0 ? 'off' : await prune()
      if (r !== 'busy' && r !== 'off' && Object.values(r).some(Boolean)) d.log.info('retention: deleted rows past their use', { days: d.days, deleted: r })
      if (d.db.kind === 'pglite') await vacuumPglite()
      return r
    } finally {
      pruning.delete(d.db)
    }
  }

  function run(): Promise<RetentionResult> {
    running ??= exclusive().finally(() => (running = undefined))
    return running
  }
  const scheduled = () => void run().catch((e) => d.log.warn('retention run failed; the next one goes on where it stopped', { err: e }))

  return {
    run,
    start() {
      // PGlite needs the run for its vacuum even when nothing is pruned.
      if ((d.days === 0 && d.db.kind !== 'pglite') || job) return
      stopped = false
      job = scheduleQuartz(DAILY, scheduled)
      first = setTimeout(scheduled, FIRST_RUN_MS)
      first.unref()
    },
    async stop() {
      stopped = true
      job?.stop()
      job = undefined
      clearTimeout(first)
      await running?.catch(() => {})
    },
  }
}
