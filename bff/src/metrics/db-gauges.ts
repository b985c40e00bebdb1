import { Gauge, type Registry } from 'prom-client'
import { pendingCallbacks } from '../callbacks/inbox'
import type { Db } from '../db'
import { syncFailuresInARow } from '../directory/sync-runs'
import { pendingOutbox } from '../notify/outbox-store'

/** A scrape answers within this even when the database does not (Prometheus' own default timeout is 10 s). */
const DEFAULT_COLLECT_TIMEOUT_MS = 2_000

interface Snapshot {
  outboxPending: number
  outboxOldestMs: number | null
  inboxPending: number
  inboxOldestMs: number | null
  inboxParked: number
  syncFailedInARow: number
}

/**
 * Gauges read from the database when Prometheus scrapes, so that every instance reports the
 * shared queues as they are now. One collection at a time (scrapes during an outage do not pile
 * up connections); past the bound, or when the database fails, the gauges read NaN (unknown) and
 * `portal_metrics_db_up` 0. Pool gauges come from the driver, without a query.
 */
export function createDbGauges(d: { db: Db; now: () => number; collectTimeoutMs?: number; registers: Registry[] }) {
  const registers = d.registers
  const g = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers })
  const up = g('portal_metrics_db_up', 'Whether the database answered the metrics queries of this scrape in time (1) or not (0).')
  const outboxPending = g('portal_outbox_pending', 'Notifications waiting to be sent (outbox rows pending, all instances).')
  const outboxOldest = g('portal_outbox_oldest_pending_age_seconds', 'Age of the oldest pending notification; 0 when none.')
  const inboxPending = g('portal_callback_inbox_pending', 'WeCom callbacks received but not applied yet, parked ones apart (all instances).')
  const inboxLag = g('portal_callback_inbox_lag_seconds', 'Age of the oldest callback not applied yet, parked ones apart; 0 when none.')
  const inboxParked = g('portal_callback_inbox_parked', 'WeCom callbacks given up after repeated failures, kept with their error (callback_events.last_error) until retention deletes them.')
  const syncFailed = g('portal_sync_failed_in_a_row', 'Directory sync runs that failed since the last one that did not (all instances, from sync_runs).')
  const pool = g('portal_db_pool_connections', 'PostgreSQL pool connections by state (total, idle; max = DATABASE_POOL_MAX).', ['state'])
  const waiting = g('portal_db_pool_waiting', 'Queries waiting for a PostgreSQL connection, or writes queued for the next PGlite group commit.')
  let inflight: Promise<Snapshot> | undefined

  async function read(): Promise<Snapshot> {
    const outbox = await pendingOutbox(d.db)
    const inbox = await pendingCallbacks(d.db)
    const syncFailedInARow = await syncFailuresInARow(d.db)
    return {
      outboxPending: outbox.count,
      outboxOldestMs: outbox.oldest?.getTime() ?? null,
      inboxPending: inbox.count,
      inboxOldestMs: inbox.oldest?.getTime() ?? null,
      inboxParked: inbox.parked,
      syncFailedInARow,
    }
  }

  function bounded(): Promise<Snapshot | null> {
    inflight ??= read().finally(() => (inflight = undefined))
    const timeoutMs = d.collectTimeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)))
    return Promise.race([inflight.catch(() => null), late]).finally(() => clearTimeout(timer))
  }

  return {
    async refresh(): Promise<void> {
      const stats = d.db.stats?.()
      if (stats) {
        if (stats.total !== undefined) pool.set({ state: 'total' }, stats.total)
        if (stats.idle !== undefined) pool.set({ state: 'idle' }, stats.idle)
        if (stats.max !== undefined) pool.set({ state: 'max' }, stats.max)
        waiting.set(stats.waiting)
      }
      const s = await bounded()
      const now = d.now()
      const age = (ms: number | null) => (ms === null ? 0 : Math.max(0, (now - ms) / 1000))
      up.set(s ? 1 : 0)
      outboxPending.set(s ? s.outboxPending : NaN)
      outboxOldest.set(s ? age(s.outboxOldestMs) : NaN)
      inboxPending.set(s ? s.inboxPending : NaN)
      inboxLag.set(s ? age(s.inboxOldestMs) : NaN)
      inboxParked.set(s ? s.inboxParked : NaN)
      syncFailed.set(s ? s.syncFailedInARow : NaN)
    },
  }
}
