import type { Db, Queryable } from '../db'
import { DatabaseUnavailableError, isUnavailable } from '../db/unavailable'
import type { Logger } from '../log'
import { isTransient, WeComError } from '../wecom'
import { createPollRunner } from '../poll-runner'
import { describeCallback, type CallbackDispatcher, type DispatchOutcome } from './dispatcher'
import { lastArrival, markApplied, markFailed, nextPending, nextRetryAt, PARK_AFTER_ATTEMPTS, type InboxEvent } from './inbox'

export interface CallbackWorkerOptions {
  db: Db
  log: Logger
  dispatcher: CallbackDispatcher
  /**
   * Permanent failures after which an event is parked (applied_at stays null, last_error says
   * why). Transient ones (WeCom -1/45009/45033, the network, the database away) never count:
   * they are tried again with backoff for as long as they last. Default 5.
   */
  maxAttempts?: number
  /** Wait before retrying an event after its n-th failure (of either kind). Default 1 s, 2 s, 4 s … capped at 30 s. */
  backoffMs?: (failures: number) => number
  /** After 45009 (the app is over a per-minute WeCom limit), wait at least this long. Default 60 s. */
  frequencyLimitWaitMs?: number
  /** Events taken (and applied) together. Default 500. */
  batchSize?: number
  /** How often leftovers (after a restart, or written by another instance) are looked for. Default 60 s. */
  sweepMs?: number
  /** On PostgreSQL, when another instance is applying: look again after this long. Default 1 s. */
  busyRetryMs?: number
  /** After a database error (an outage): look again after this long rather than at the next sweep. Default 5 s. */
  errorRetryMs?: number
  /** A batch still running after this long counts as failed, so one hung call cannot stall the queue. Default 2 min. */
  handlerTimeoutMs?: number
  /**
   * While callbacks keep arriving in this process, a batch waits for a 20 ms lull, up to this
   * long: answering WeCom in time comes first (it retries what is not answered in 5 s), and both
   * share one event loop (and on PGlite one connection). 0: never wait. Default 1 s.
   */
  yieldToArrivalsMs?: number
  /** For tests: the waits for retries, and the clock they are measured on. */
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

export interface CallbackWorker {
  /** Something was queued: apply it soon. Never throws. */
  wake(): void
  /** Apply everything that is due now (retries included), then resolve. For tests and shutdown. */
  drain(): Promise<void>
  /** Apply leftovers now and sweep periodically. */
  start(): void
  /** No new work; resolves when the batch in hand is finished. */
  stop(): Promise<void>
}

// Another constant than the migration lock's; the same in every instance of this app. Paired
// with the schema's hash so apps (or test runs) in different schemas of one database never wait on each other.
const WORKER_LOCK_CLASS = 4_242_002
/** Embedded databases whose single process already has a worker applying a batch. */
const localBusy = new WeakSet<Db>()

type Step = 'idle' | 'busy' | 'applied'
const LULL_MS = 20

/**
 * Applies `callback_events` in batches, in arrival order. A batch is the oldest due events (at
 * most batchSize); handlers registered with onBatch get all of theirs at once (one transaction,
 * one directory version for a burst of contact changes). An event that fails is given a time to
 * retry (backoff) and the rest go on, except later events of the same member or department,
 * which wait for it; after maxAttempts it is parked with its error. On PostgreSQL, several
 * instances take turns through a transaction-scoped advisory lock held while a batch is applied,
 * so the order holds across instances too and a crash simply rolls the claim back. PGlite lives
 * in one process, where an in-process flag per database does the same job (a transaction held
 * open would block the handlers' own queries on PGlite's single connection).
 */
export function createCallbackWorker(opts: CallbackWorkerOptions): CallbackWorker {
  const { db, log, dispatcher } = opts
  const maxAttempts = opts.maxAttempts ?? PARK_AFTER_ATTEMPTS
  const backoffMs = opts.backoffMs ?? ((n: number) => Math.min(1000 * 2 ** (n - 1), 30_000))
  const limitWaitMs = opts.frequencyLimitWaitMs ?? 60_000
  const batchSize = opts.batchSize ?? 500
  const sweepMs = opts.sweepMs ?? 60_000
  const busyRetryMs = opts.busyRetryMs ?? 1000
  const errorRetryMs = opts.errorRetryMs ?? 5000
  const handlerTimeoutMs = opts.handlerTimeoutMs ?? 120_000
  const now = opts.now ?? Date.now
  const yieldMs = opts.yieldToArrivalsMs ?? 1000

  let busyTimer: ReturnType<typeof setTimeout> | undefined
  const runner = createPollRunner({ run: loop, pollMs: sweepMs, onCrash: (e) => log.error('wecom callback worker crashed', { err: e }) })
  // Waits for a retry: injected in tests, else a wait that stop() cuts short; wake() cuts it short too.
  const sleep = opts.sleep ?? runner.sleep
  let interrupt: (() => void) | undefined

  function lookAgainIn(ms: number): void {
    if (runner.stopped()) return
    busyTimer ??= setTimeout(() => {
      busyTimer = undefined
      runner.wake()
    }, ms)
    busyTimer.unref?.()
  }

  async function apply(tx: Queryable, batch: InboxEvent[]): Promise<Step> {
    const started = performance.now()
    let outcomes: DispatchOutcome[]
    try {
      outcomes = await withTimeout(
        dispatcher.dispatchBatch(
          batch.map((e) => e.msg),
          batch.map((e) => e.subject),
        ),
        handlerTimeoutMs,
      )
    } catch (e) {
      outcomes = batch.map(() => ({ ran: 1, error: e }))
    }
    const done: Array<{ hash: string; note: string | null }> = []
    for (const [i, ev] of batch.entries()) {
      const o: DispatchOutcome = outcomes[i]!
      // Behind a failed event of the same member: left as it is, it waits for that one's retry.
      if (o.skipped) continue
      if (o.error === undefined) {
        done.push({ hash: ev.hash, note: o.ran === 0 ? `no handler for ${describeCallback(ev.msg)}` : null })
        continue
      }
      const transient = isTransientFailure(o.error)
      let wait = backoffMs(ev.attempts + ev.retries + 1)
      if (o.error instanceof WeComError && o.error.errcode === 45009) wait = Math.max(wait, limitWaitMs)
      await markFailed(tx, ev.hash, { error: errorText(o.error), retryAt: new Date(now() + wait), transient })
      const failures = ev.attempts + (transient ? 0 : 1)
      const data = { id: ev.hash.slice(0, 12), what: describeCallback(ev.msg), transient, failures, maxAttempts, err: o.error }
      if (transient || failures < maxAttempts) log.warn('wecom callback handler failed; will retry', data)
      else log.error('wecom callback handler failed; giving up', data)
    }
    await markApplied(tx, done)
    log.info('wecom callbacks applied', { events: batch.length, applied: done.length, ms: Math.round(performance.now() - started) })
    return 'applied'
  }

  async function step(at: Date): Promise<Step> {
    const take = (q: Queryable, lock: boolean) => nextPending(q, { maxAttempts, limit: batchSize, now: at, lock })
    if (db.kind !== 'postgres') {
      if (localBusy.has(db)) return 'busy'
      localBusy.add(db)
      try {
        const batch = await take(db, false)
        return batch.length ? await apply(db, batch) : 'idle'
      } finally {
        localBusy.delete(db)
      }
    }
    return db.transaction(async (tx) => {
      const [lock] = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1, hashtext(current_schema())) as ok', [WORKER_LOCK_CLASS])
      if (!lock?.ok) return 'busy'
      const batch = await take(tx, true)
      return batch.length ? apply(tx, batch) : 'idle'
    })
  }

  /** Lets a burst of arriving callbacks be answered first (see yieldToArrivalsMs). */
  async function yieldToArrivals(): Promise<void> {
    const until = Date.now() + yieldMs
    for (;;) {
      const last = lastArrival(db)
      if (last === undefined || Date.now() - last >= LULL_MS || Date.now() >= until || runner.stopped()) return
      await new Promise((r) => setTimeout(r, LULL_MS))
    }
  }

  async function loop(): Promise<void> {
    while (!runner.stopped()) {
      await yieldToArrivals()
      let s: Step
      let retryAt: Date | undefined
      try {
        // The retries still ahead as of the moment the step looked: one that fell due since is
        // waited for (0 ms), not left to the next sweep.
        const at = new Date(now())
        s = await step(at)
        if (s === 'idle') retryAt = await nextRetryAt(db, maxAttempts, at)
      } catch (e) {
        // The database itself failed (down, restarting): try again soon, not only at the next sweep.
        log.error('wecom callback worker: database error', { err: e })
        lookAgainIn(errorRetryMs)
        return
      }
      if (s === 'busy') {
        // The other instance may have looked just before our row was committed: look again soon.
        lookAgainIn(busyRetryMs)
        return
      }
      if (s === 'idle') {
        // Nothing due now. A retry due before the next sweep is waited for here; new work cuts the wait short.
        if (!retryAt) return
        const wait = Math.max(0, retryAt.getTime() - now())
        if (wait > sweepMs) return
        await Promise.race([sleep(wait), new Promise<void>((r) => (interrupt = r))])
        interrupt = undefined
      }
    }
  }

  return {
    wake() {
      interrupt?.()
      runner.wake()
    },
    drain: runner.drain,
    // Applies leftovers now, then sweeps every sweepMs.
    start: runner.start,
    async stop() {
      if (busyTimer) clearTimeout(busyTimer)
      busyTimer = undefined
      const stopping = runner.stop()
      interrupt?.()
      await stopping
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

/**
 * A failure that says nothing about the event itself and passes by itself: WeCom busy or
 * throttled (-1, 45009, 45033), the network or WeCom's front end, the database out of reach.
 */
export function isTransientFailure(e: unknown): boolean {
  return isTransient(e) || e instanceof DatabaseUnavailableError || isUnavailable(e)
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e)
}
