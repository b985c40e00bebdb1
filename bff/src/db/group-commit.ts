// node:timers' own function, not the global one: a test's fake timers replace the global only.
import { setImmediate } from 'node:timers'
import type { Batch, Tx, WriteFn } from './types'

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }
interface Pending {
  fn: WriteFn<unknown>
  /** Set for a batched write: `fn` runs it alone, the first attempt runs its group's mates at once. */
  batch?: Batch<unknown, unknown>
  item?: unknown
  settle: (o: Outcome) => void
}

/** How many writes share one transaction at most: bounds the time a group holds the database. */
export const MAX_GROUP = 64

export interface GroupCommitOptions {
  /** Writes in one transaction at most. */
  maxGroup?: number
  /** Groups in flight at once: 1 for PGlite (one transaction at a time), a share of the pool on PostgreSQL. */
  concurrency?: number
  /**
   * Errors that only mean "lost a race" (PostgreSQL's serialization failure and deadlock): a
   * write that still meets one when run in its group's savepoint runs again once, alone.
   */
  retryable?: (e: unknown) => boolean
  /**
   * Start a group at the end of the current event-loop turn (setImmediate) instead of at once.
   * For PGlite, which runs one transaction at a time: a write that ran at once went alone, and
   * the turn's other writes waited for it to commit before they could form a group. Waiting for
   * the turn's end lets every request read in the same turn join the first group.
   */
  gatherTurn?: boolean
}

/**
 * Group commit: writes that arrive while `concurrency` groups are already committing queue up,
 * and the next group takes them all (up to `maxGroup`) into one transaction, so the fixed cost of
 * a transaction (BEGIN, COMMIT and its WAL flush, a connection and three round trips on
 * PostgreSQL) is paid once per group instead of once per request. Nothing waits on a timer: a
 * write that finds a group slot free runs at once, as its own group (with `gatherTurn`, at the
 * end of the event-loop turn, with the turn's other writes), so groups only grow when the database
 * is the bottleneck.
 *
 * Batched writes (`batched`) of the same batch in one group run as one call, so that they can
 * share statements (one multi-row INSERT for many requests' rows); alone, in the isolated rerun
 * below, each runs as a batch of one.
 *
 * Each write is answered only after the COMMIT of the transaction its rows are in; a failing
 * COMMIT fails the whole group. A write that throws fails alone: the group is rolled back and run
 * again with a savepoint around each write, so that one's error is its own (not the "transaction
 * is aborted" a group-mate caused) and the others commit. Savepoints cost two statements per
 * write, so the first attempt goes without them.
 */
export function groupCommit(
  transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>,
  opts: GroupCommitOptions = {},
): (<T>(fn: WriteFn<T>) => Promise<T>) & { batched: <I, T>(batch: Batch<I, T>, item: I) => Promise<T>; queued: () => number } {
  const maxGroup = opts.maxGroup ?? MAX_GROUP
  const concurrency = opts.concurrency ?? 1
  const retryable = opts.retryable ?? (() => false)
  const queue: Pending[] = []
  let running = 0
  let gathering = false

  function pump() {
    if (!opts.gatherTurn) return startGroups()
    if (gathering || !queue.length) return
    gathering = true
    setImmediate(() => {
      gathering = false
      startGroups()
    })
  }

  function startGroups() {
    while (running < concurrency && queue.length) {
      running++
      void runGroup(queue.splice(0, maxGroup)).finally(() => {
        running--
        pump()
      })
    }
  }

  async function runGroup(group: Pending[]) {
    const outcomes: Outcome[] = []
    let failed = false
    try {
      await transaction(async (tx) => {
        for (const [i, w] of group.entries()) {
          if (outcomes[i]) continue
          try {
            if (w.batch) await runBatch(tx, group, w.batch, outcomes)
            else outcomes[i] = { ok: true, value: await w.fn(tx) }
          } catch (error) {
            failed = true
            throw error
          }
        }
      })
    } catch (error) {
      // A write threw: try again, each write in a savepoint. Else BEGIN or COMMIT failed: nothing
      // of the group was committed.
      if (failed) return runIsolated(group)
      for (const w of group) w.settle({ ok: false, error })
      return
    }
    group.forEach((w, i) => w.settle(outcomes[i]!))
  }

  /** Every write of `batch` in the group, in one call (their statements shared); fills their outcomes. */
  async function runBatch(tx: Tx, group: Pending[], batch: Batch<unknown, unknown>, outcomes: Outcome[]) {
    const at = group.flatMap((w, i) => (w.batch === batch ? [i] : []))
    const values = await batch.run(
      tx,
      at.map((i) => group[i]!.item),
    )
    if (values.length !== at.length) throw new Error(`a batched write returned ${values.length} results for ${at.length} items`)
    at.forEach((i, k) => (outcomes[i] = { ok: true, value: values[k] }))
  }

  async function runIsolated(group: Pending[]) {
    const outcomes: Outcome[] = []
    try {
      await transaction(async (tx) => {
        for (const w of group) {
          await tx.query('savepoint group_write')
          try {
            const value = await w.fn(tx)
            await tx.query('release savepoint group_write')
            outcomes.push({ ok: true, value })
          } catch (error) {
            await tx.query('rollback to savepoint group_write')
            outcomes.push({ ok: false, error })
          }
        }
      })
    } catch (error) {
      // The COMMIT (or a savepoint statement) failed: the writes that had succeeded fail with it;
      // those that had failed keep their own error.
      group.forEach((w, i) => w.settle(outcomes[i] && !outcomes[i].ok ? outcomes[i] : { ok: false, error }))
      return
    }
    await Promise.all(
      group.map(async (w, i) => {
        const o = outcomes[i]!
        // Lost a race with another group (a deadlock across two groups' rows): once more, alone,
        // after this group's locks are gone.
        if (!o.ok && retryable(o.error)) return w.settle(await transaction(w.fn).then((value) => ({ ok: true, value }) as const, (error: unknown) => ({ ok: false, error }) as const))
        w.settle(o)
      }),
    )
  }

  const enqueue = <T>(w: Omit<Pending, 'settle'>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ ...w, settle: (o) => (o.ok ? resolve(o.value as T) : reject(o.error)) })
      pump()
    })
  const write = <T>(fn: WriteFn<T>) => enqueue<T>({ fn: fn as WriteFn<unknown> })
  const batched = <I, T>(batch: Batch<I, T>, item: I) =>
    enqueue<T>({
      fn: async (tx) => (await batch.run(tx, [item]))[0],
      batch: batch as Batch<unknown, unknown>,
      item,
    })
  // Writes waiting for the next group (the metrics' queue depth).
  return Object.assign(write, { batched, queued: () => queue.length })
}
