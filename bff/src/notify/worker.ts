import type { RuntimeSettings } from '../admin/settings/runtime'
import type { Db, Queryable } from '../db'
import type { Logger } from '../log'
import type { WeComClient } from '../wecom'
import { MAX_DUPLICATE_CHECK_SECONDS, sendMessage, type AppMessage } from '../wecom/messages'
import { attemptCardUpdate } from './card-update-attempt'
import { createRateBudgets, type RateBudgets } from '../rate/budget'
import { HOLD_MS, MemberPacer, WECOM_MEMBER_LIMITS, type MemberLimits, type Slot } from './member-pacing'
import { claimDue, claimGroup, retryHeldRows, suppressDue, type OutboxRow } from './outbox-store'
import { fromError, outcomesOf, type Outcome, type Settling } from './outcome'
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
 *   The resend then carries the byte-identical JSON body: it is built from the stored rows alone
 *   (touser = the row's userid, or the userids of a send group's pending rows in id order; the
 *   message with keys sorted, the configured agentid, no time or id of the attempt) by
 *   messageSendBody, with enable_duplicate_check = 1 and the longest interval
 *   WeCom allows (4 h). WeCom delivers identical JSON within the interval once (https://developer.work.weixin.qq.com/document/path/90236);
 *   the sandbox does the same (sandbox/messages/send.ts keys its check on the body's JSON, and a
 *   repeat answers ok with the first msgid and delivers nothing), which test/flows/notify-crash
 *   exercises with a real kill -9.
 * - So the retry schedule of one row must fit in that window: assertWithinDuplicateWindow keeps
 *   it under 3 h, leaving an hour for downtime. A restart more than 4 h after a send that WeCom
 *   accepted but we never recorded could deliver it twice; nothing short of WeCom telling us
 *   about the first send could avoid that.
 * - A send group (one message to many members, one call) keeps its body only if its rows stay
 *   together: they are claimed as a whole (an advisory lock per group on PostgreSQL), held back
 *   together while any member is at WeCom's per-member limit, and settled in one transaction, so
 *   a group's pending rows after a crash are exactly those of the call that may have gone out.
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

/** One call's rows (one, or a send group's) and the pacing slot taken for each. */
interface Unit {
  rows: OutboxRow[]
  slots: Slot[]
}

/** Runs `fn` so that its writes land together or not at all. */
type Atomic = <T>(fn: (q: Queryable) => Promise<T>) => Promise<T>

/**
 * Sends the outbox through message/send: one call per row to its member, or one per send group
 * to all of its members (≤ 1,000; each pass takes one group besides its batch). On PostgreSQL each
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

  /** One call: a card update, or a message/send to one row's member or to a send group's members. */
  async function attempt(q: Queryable, unit: Unit): Promise<Settling<OutboxRow>[]> {
    const { rows } = unit
    const all = (outcome: Outcome) => [{ outcome, rows }]
    // A slot taken too long ago (slow sends before this one) no longer covers this send: take another.
    let slots = unit.slots
    if (slots.some((s) => 'at' in s && now() - s.at > HOLD_MS)) slots = await pacer.reserve(rows.map((r) => r.userid), now(), { whole: true })
    // A group waits for its busiest member: sent without them it would be another body (see above).
    // Its slots are taken whole (all or none), so the others' are not spent while it waits.
    const held = slots.flatMap((s) => ('untilMs' in s ? [s.untilMs] : []))
    if (held.length) return all({ kind: 'paced', untilMs: Math.max(...held) })
    // A card update reaches the member like a message: it is paced, suppressed and recorded the same way.
    if (rows[0]!.kind === 'update') return all(await attemptCardUpdate(q, wecom, opts.settings.get('agentId'), rows[0]!, now()))
    try {
      const res = await sendMessage(wecom, {
        agentId: opts.settings.get('agentId'),
        touser: rows.map((r) => r.userid),
        message: rows[0]!.message as AppMessage,
        duplicateCheckSeconds: MAX_DUPLICATE_CHECK_SECONDS,
      })
      return outcomesOf(rows, res)
    } catch (e) {
      return all(fromError(e))
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

  async function sendBatch(q: Queryable, units: Unit[], atomic: Atomic): Promise<boolean> {
    let next = 0
    let halted = false
    let failed: unknown
    const lane = async () => {
      while (!stopped() && !halted && failed === undefined && next < units.length) {
        const unit = units[next++]!
        try {
          const settling = await attempt(q, unit)
          if (pauseAfter(settling[0]!.outcome)) halted = true
          const t = now()
          const ctx = {
            now: new Date(t),
            maxAttempts: retry.maxAttempts,
            retryAt: (failures: number, err: unknown) => new Date(t + retryDelayMs(retry, failures, err, random)),
            blockedUntil: new Date(t + blockedPauseMs),
          }
          // A group's rows are settled in one transaction: half recorded, the rest would be resent as another body.
          const record: Atomic = unit.rows.length > 1 ? atomic : (fn) => fn(q)
          const settled = await record(async (tx) => {
            const out: Settled[] = []
            for (const s of settling) out.push(await recordOutcome(tx, s.rows, s.outcome, ctx))
            return out
          })
          // Logged once recorded: a failed commit leaves the rows pending (logged as a database error).
          settling.forEach((s, i) => s.rows.forEach((row) => report(row, s.outcome, settled[i]!)))
        } catch (e) {
          // A database error: stop the batch; unrecorded rows stay pending (resends are deduplicated).
          failed ??= e
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, units.length) }, lane))
    if (failed !== undefined) throw failed
    return halted
  }

  async function claimAndSend(q: Queryable, lock: boolean, at: Date, atomic: Atomic): Promise<PassResult> {
    const rows = await claimDue(q, { now: at, limit: batchSize, lock })
    const group = await claimGroup(q, { now: at, lock })
    if (!rows.length && !group.length) return 'idle'
    // Per-member slots, on a connection of their own (not the claim's transaction, which would
    // hold the members' budget rows until the batch is sent): the single rows' in one round trip,
    // the group's in another, whole.
    const [slots, groupSlots] = await Promise.all([
      pacer.reserve(rows.map((r) => r.userid), now()),
      group.length ? pacer.reserve(group.map((r) => r.userid), now(), { whole: true }) : [],
    ])
    const batch = rows.map((r, i): Unit => ({ rows: [r], slots: [slots[i]!] }))
    if (group.length) batch.push({ rows: group, slots: groupSlots })
    const halted = await sendBatch(q, batch, atomic)
    return halted || stopped() ? 'halted' : rows.length < batchSize && !group.length ? 'idle' : 'more'
  }

  async function pass(): Promise<PassResult> {
    if (now() < pausedUntil) return 'halted'
    const at = new Date(now())
    if (!opts.settings.get('messageEnable')) {
      const n = await suppressDue(db, { now: at, limit: batchSize })
      if (n) log.info('MESSAGE_ENABLE=false: notifications kept as suppressed, not sent', { count: n })
      return n < batchSize ? 'idle' : 'more'
    }
    if (db.kind === 'postgres') {
      return db.transaction((tx) => {
        const q = serialQueries(tx)
        // Everything is recorded in the claim's transaction already.
        return claimAndSend(q, true, at, (fn) => fn(q))
      })
    }
    if (localBusy.has(db)) return 'busy'
    localBusy.add(db)
    try {
      return await claimAndSend(db, false, at, (fn) => db.transaction(fn))
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
