import type { RuntimeSettings } from '../admin/settings/runtime'
import type { Db, Queryable } from '../db'
import type { Logger } from '../log'
import type { WeComClient } from '../wecom'
import { MAX_DUPLICATE_CHECK_SECONDS, sendMessage, type AppMessage } from '../wecom/messages'
import { attemptCardUpdate } from './card-update-attempt'
import { createRateBudgets, type RateBudgets } from '../rate/budget'
import { HOLD_MS, MemberPacer, WECOM_MEMBER_LIMITS, type MemberLimits, type Slot } from './member-pacing'
import { claimDue, retryHeldRows, suppressDue, type OutboxRow } from './outbox-store'
import { fromError, fromResult, type Outcome } from './outcome'
import { createPollRunner } from '../poll-runner'
import { recordOutcome, type Settled } from './record-outcome'
import { serialQueries } from './serial-queries'
import { assertWithinDuplicateWindow, DEFAULT_RETRY, isFrequencyLimit, retryDelayMs, type RetryPolicy } from './retry-policy'

/*
 * Crash safety: a notification is lost by no crash and delivered twice by none.
 *
 * - A row stays `pending` until its outcome is written, and nothing else marks it taken. Whatever
 *   kills the process (kill -9 included) leaves it pending: on PostgreSQL the claiming transaction
 *   dies with the connection and its row locks go with it; on PGlite nothing was written. After a
 *   restart the row is simply due again: nothing is lost.
 * - The one window for a double is "WeCom accepted the message, we died before recording it".
 *   The resend then carries the byte-identical JSON body: it is built from the stored row alone
 *   (touser = its userid, its message with keys sorted, the configured agentid, no time or id of
 *   the attempt) by messageSendBody, with enable_duplicate_check = 1 and the longest interval
 *   WeCom allows (4 h). WeCom delivers identical JSON within the interval once (https://developer.work.weixin.qq.com/document/path/90236);
 *   the sandbox does the same (sandbox/messages/send.ts keys its check on the body's JSON, and a
 *   repeat answers ok with the first msgid and delivers nothing), which test/flows/notify-crash
 *   exercises with a real kill -9.
 * - So the retry schedule of one row must fit in that window: assertWithinDuplicateWindow keeps
 *   it under 3 h, leaving an hour for downtime. A restart more than 4 h after a send that WeCom
 *   accepted but we never recorded could deliver it twice; nothing short of WeCom telling us
 *   about the first send could avoid that.
 * - The flip side of the duplicate check: two different rows with the same message to the same
 *   member within 4 h reach them once. Todo cards differ by their link; identical plain texts
 *   would merge, which for a notification is what one wants anyway.
 */

export interface OutboxWorkerOptions {
  db: Db
  wecom: Pick<WeComClient, 'post'>
  log: Logger
  /** Milliseconds, like Deps.now. Due times and backoff follow this clock. */
  now: () => number
  /** messageEnable and agentId, read on every pass: the console may change them at run time. */
  settings: Pick<RuntimeSettings, 'get'>
  /** How the poll waits between passes. Default: a timer that stop() cuts short. */
  sleep?: (ms: number) => Promise<void>
  /** Look for due rows this often even without wake(). Default 2 s. */
  pollMs?: number
  /** Rows claimed per pass. Default 50. */
  batchSize?: number
  /** Sends in flight at once. Default 4. */
  concurrency?: number
  retry?: Partial<RetryPolicy>
  /** After WeCom refuses the app itself (secret, trusted IP …), try again after this long. Default 60 s. */
  blockedPauseMs?: number
  /** Per member; default WeCom's 30/min and 1000/h. */
  memberLimits?: MemberLimits
  /** Where the per-member counts live; default the database, shared by every instance on it. */
  budgets?: RateBudgets
  /** For jitter; default Math.random. */
  random?: () => number
}

export interface OutboxWorker {
  /** Something was queued: send it soon. Never throws. */
  wake(): void
  /** The configuration changed: end a pause WeCom's answers to the old one caused, and send. */
  resume(): void
  /** Send everything due now (unless WeCom made the worker pause), then resolve. For tests and benchmarks. */
  drain(): Promise<void>
  /** Send what is due now and poll from then on. */
  start(): void
  /** No new sends; resolves when those in flight are recorded. */
  stop(): Promise<void>
}

/** PGlite databases (one process) that a worker is sending from right now. */
const localBusy = new WeakSet<Db>()

type PassResult = 'idle' | 'more' | 'halted' | 'busy'

/**
 * Sends the outbox through message/send, one message per row to its member. On PostgreSQL each
 * pass claims a batch with `for update skip locked` inside a transaction held while sending, so
 * instances never share a row; on PGlite (one process) an in-process flag per database does that
 * job, since a transaction held open there would block every other query on its one connection.
 */
export function createOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const { db, wecom, log, now } = opts
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry }
  assertWithinDuplicateWindow(retry)
  const pollMs = opts.pollMs ?? 2000
  const batchSize = opts.batchSize ?? 50
  const concurrency = opts.concurrency ?? 4
  const blockedPauseMs = opts.blockedPauseMs ?? 60_000
  const random = opts.random ?? Math.random
  const pacer = new MemberPacer(opts.budgets ?? createRateBudgets(db), opts.memberLimits ?? WECOM_MEMBER_LIMITS)

  /** WeCom is throttling, failing or refusing the app: no sends before this (ms). */
  let pausedUntil = 0
  let transientRun = 0
  const runner = createPollRunner({ run: loop, pollMs, sleep: opts.sleep, onCrash: (e) => log.error('outbox worker crashed', { err: e }) })
  const stopped = runner.stopped

  async function attempt(q: Queryable, row: OutboxRow, slot: Slot): Promise<Outcome> {
    // A slot taken too long ago (slow sends before this one) no longer covers this send: take another.
    if ('at' in slot && now() - slot.at > HOLD_MS) slot = (await pacer.reserve([row.userid], now()))[0]!
    if ('untilMs' in slot) return { kind: 'paced', untilMs: slot.untilMs }
    // A card update reaches the member like a message: it is paced, suppressed and recorded the same way.
    if (row.kind === 'update') return attemptCardUpdate(q, wecom, opts.settings.get('agentId'), row, now())
    try {
      const res = await sendMessage(wecom, {
        agentId: opts.settings.get('agentId'),
        touser: [row.userid],
        message: row.message as AppMessage,
        duplicateCheckSeconds: MAX_DUPLICATE_CHECK_SECONDS,
      })
      return fromResult(row.userid, res)
    } catch (e) {
      return fromError(e)
    }
  }

  /** True when the rest of the batch should wait: one throttled or failing call predicts the next. */
  function pauseAfter(o: Outcome): boolean {
    if (o.kind === 'transient') {
      transientRun += 1
      const ms = isFrequencyLimit(o.error) ? retry.limitWaitMs : Math.min(1000 * 2 ** (transientRun - 1), 60_000)
      pausedUntil = Math.max(pausedUntil, now() + ms)
      return true
    }
    if (o.kind === 'blocked') {
      pausedUntil = Math.max(pausedUntil, now() + blockedPauseMs)
      return true
    }
    if (o.kind !== 'paced') transientRun = 0
    return false
  }

  function report(row: OutboxRow, o: Outcome, settled: Settled): void {
    const data = { id: row.id, userid: row.userid, attempts: row.attempts + 1 }
    if (settled === 'sent') log.debug('notification sent', data)
    else if (o.kind === 'paced') log.debug('notification held back: member frequency limit', { ...data, untilMs: o.untilMs })
    else if (o.kind === 'waiting') log.debug('card update waits for its card', { ...data, untilMs: o.untilMs })
    else if (o.kind === 'blocked') log.error('WeCom refuses messages from this app; outbox paused', { ...data, reason: o.reason, pauseMs: blockedPauseMs })
    else if ('reason' in o) {
      if (settled === 'retry') log.warn('notification send failed; will retry', { ...data, reason: o.reason })
      else log.error(settled === 'gave-up' ? 'notification send failed; giving up' : 'notification not delivered', { ...data, reason: o.reason })
    }
  }

  async function sendBatch(q: Queryable, rows: OutboxRow[], slots: Slot[]): Promise<boolean> {
    let next = 0
    let halted = false
    let failed: unknown
    const lane = async () => {
      while (!stopped() && !halted && failed === undefined && next < rows.length) {
        const i = next++
        const row = rows[i]!
        try {
          const o = await attempt(q, row, slots[i]!)
          if (pauseAfter(o)) halted = true
          const t = now()
          const settled = await recordOutcome(q, row, o, {
            now: new Date(t),
            maxAttempts: retry.maxAttempts,
            retryAt: (failures, err) => new Date(t + retryDelayMs(retry, failures, err, random)),
            blockedUntil: new Date(t + blockedPauseMs),
          })
          report(row, o, settled)
        } catch (e) {
          // A database error: stop the batch; unrecorded rows stay pending (resends are deduplicated).
          failed ??= e
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane))
    if (failed !== undefined) throw failed
    return halted
  }

  async function claimAndSend(q: Queryable, lock: boolean, at: Date): Promise<PassResult> {
    const rows = await claimDue(q, { now: at, limit: batchSize, lock })
    if (!rows.length) return 'idle'
    // Per-member slots for the whole batch in one round trip, on a connection of its own (not
    // the claim's transaction, which would hold the members' budget rows until the batch is sent).
    const slots = await pacer.reserve(rows.map((r) => r.userid), now())
    const halted = await sendBatch(q, rows, slots)
    return halted || stopped() ? 'halted' : rows.length < batchSize ? 'idle' : 'more'
  }

  async function pass(): Promise<PassResult> {
    if (now() < pausedUntil) return 'halted'
    const at = new Date(now())
    if (!opts.settings.get('messageEnable')) {
      const n = await suppressDue(db, { now: at, limit: batchSize })
      if (n) log.info('MESSAGE_ENABLE=false: notifications kept as suppressed, not sent', { count: n })
      return n < batchSize ? 'idle' : 'more'
    }
    if (db.kind === 'postgres') return db.transaction((tx) => claimAndSend(serialQueries(tx), true, at))
    if (localBusy.has(db)) return 'busy'
    localBusy.add(db)
    try {
      return await claimAndSend(db, false, at)
    } finally {
      localBusy.delete(db)
    }
  }

  async function loop(): Promise<void> {
    while (!stopped()) {
      let r: PassResult
      try {
        r = await pass()
      } catch (e) {
        // The database failed; the next poll (or wake) tries again.
        log.error('outbox worker: database error', { err: e })
        return
      }
      if (r !== 'more') return
    }
  }

  const { wake, drain, start, stop } = runner
  const resume = () => {
    pausedUntil = 0
    transientRun = 0
    // Rows the old configuration's errors pushed back are due again (one earlier retry at most).
    void retryHeldRows(opts.db, new Date(now()))
      .catch((e: unknown) => log.error('outbox worker: database error', { err: e }))
      .finally(wake)
  }
  return { wake, resume, drain, start, stop }
}
