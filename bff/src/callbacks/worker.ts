import type { Db, Queryable } from '../db'
import type { Logger } from '../log'
import { createPollRunner } from '../poll-runner'
import { describeCallback, type CallbackDispatcher } from './dispatcher'
import { markApplied, markFailed, nextPending, type InboxEvent } from './inbox'

export interface CallbackWorkerOptions {
  db: Db
  log: Logger
  dispatcher: CallbackDispatcher
  /** Failed attempts after which an event is left alone (applied_at stays null, last_error says why). Default 5. */
  maxAttempts?: number
  /** Wait before retrying after the n-th failure. Default 1 s, 2 s, 4 s … capped at 30 s. */
  backoffMs?: (failures: number) => number
  /** How often leftovers (after a restart, or written by another instance) are looked for. Default 60 s. */
  sweepMs?: number
  /** On PostgreSQL, when another instance is applying: look again after this long. Default 1 s. */
  busyRetryMs?: number
  /** A handler still running after this long counts as failed, so one hung call cannot stall the queue. Default 2 min. */
  handlerTimeoutMs?: number
  /** For tests. */
  sleep?: (ms: number) => Promise<void>
}

export interface CallbackWorker {
  /** Something was queued: apply it soon. Never throws. */
  wake(): void
  /** Apply everything that is due now (retries included), then resolve. For tests and shutdown. */
  drain(): Promise<void>
  /** Apply leftovers now and sweep periodically. */
  start(): void
  /** No new work; resolves when the event in hand is finished. */
  stop(): Promise<void>
}

// Another constant than the migration lock's; the same in every instance of this app. Paired
// with the schema's hash so apps (or test runs) in different schemas of one database never wait on each other.
const WORKER_LOCK_CLASS = 4_242_002
/** Embedded databases whose single process already has a worker applying an event. */
const localBusy = new WeakSet<Db>()

type Step = { kind: 'idle' } | { kind: 'busy' } | { kind: 'applied' } | { kind: 'failed'; failures: number; retry: boolean }

/**
 * Applies `callback_events` in arrival order, one at a time. On PostgreSQL, several instances
 * take turns through a transaction-scoped advisory lock held while an event is applied, so the
 * order holds across instances too and a crash simply rolls the claim back. PGlite lives in one
 * process, where an in-process flag per database does the same job (a transaction held open
 * would block the handler's own queries on PGlite's single connection).
 */
export function createCallbackWorker(opts: CallbackWorkerOptions): CallbackWorker {
  const { db, log, dispatcher } = opts
  const maxAttempts = opts.maxAttempts ?? 5
  const backoffMs = opts.backoffMs ?? ((n: number) => Math.min(1000 * 2 ** (n - 1), 30_000))
  const sweepMs = opts.sweepMs ?? 60_000
  const busyRetryMs = opts.busyRetryMs ?? 1000
  const handlerTimeoutMs = opts.handlerTimeoutMs ?? 120_000

  let busyTimer: ReturnType<typeof setTimeout> | undefined
  const runner = createPollRunner({ run: loop, pollMs: sweepMs, onCrash: (e) => log.error('wecom callback worker crashed', { err: e }) })
  // Backoff between retries: injected in tests, else a wait that stop() cuts short.
  const sleep = opts.sleep ?? runner.sleep

  async function apply(tx: Queryable, ev: InboxEvent): Promise<Step> {
    const what = describeCallback(ev.msg)
    const id = ev.hash.slice(0, 12)
    try {
      const ran = await withTimeout(dispatcher.dispatch(ev.msg), handlerTimeoutMs)
      await markApplied(tx, ev.hash, ran === 0 ? `no handler for ${what}` : null)
      log.debug('wecom callback applied', { id, what, handlers: ran })
      return { kind: 'applied' }
    } catch (e) {
      const failures = await markFailed(tx, ev.hash, errorText(e))
      const retry = failures < maxAttempts
      const data = { id, what, failures, maxAttempts, err: e }
      if (retry) log.warn('wecom callback handler failed; will retry', data)
      else log.error('wecom callback handler failed; giving up', data)
      return { kind: 'failed', failures, retry }
    }
  }

  async function step(): Promise<Step> {
    if (db.kind !== 'postgres') {
      if (localBusy.has(db)) return { kind: 'busy' }
      localBusy.add(db)
      try {
        const ev = await nextPending(db, maxAttempts, false)
        return ev ? await apply(db, ev) : { kind: 'idle' }
      } finally {
        localBusy.delete(db)
      }
    }
    return db.transaction(async (tx) => {
      const [lock] = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1, hashtext(current_schema())) as ok', [WORKER_LOCK_CLASS])
      if (!lock?.ok) return { kind: 'busy' }
      const ev = await nextPending(tx, maxAttempts, true)
      return ev ? apply(tx, ev) : { kind: 'idle' }
    })
  }

  async function loop(): Promise<void> {
    while (!runner.stopped()) {
      let s: Step
      try {
        s = await step()
      } catch (e) {
        // The database itself failed; the sweep (or the next wake) tries again.
        log.error('wecom callback worker: database error', { err: e })
        return
      }
      if (s.kind === 'idle') return
      if (s.kind === 'busy') {
        // The other instance may have looked just before our row was committed: look again soon.
        busyTimer ??= setTimeout(() => {
          busyTimer = undefined
          runner.wake()
        }, busyRetryMs)
        busyTimer.unref?.()
        return
      }
      if (s.kind === 'failed' && s.retry) await sleep(backoffMs(s.failures))
    }
  }

  return {
    wake: runner.wake,
    drain: runner.drain,
    // Applies leftovers now, then sweeps every sweepMs.
    start: runner.start,
    async stop() {
      if (busyTimer) clearTimeout(busyTimer)
      busyTimer = undefined
      await runner.stop()
    },
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`handler still running after ${ms} ms`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e)
}
