import type { Db } from '../db'

// Any constant; the same for every instance of this app.
const SYNC_LOCK = 4_242_002
// Per database handle, so two app instances in one test process still meet at PostgreSQL's lock.
const holders = new WeakSet<Db>()

/**
 * Runs `fn` only if no other sync runs: in this process (a flag) and, on PostgreSQL, in any
 * instance sharing the database (a transaction-scoped advisory lock held for the whole run;
 * `fn` uses other connections). Returns `busy` instead of waiting.
 */
export async function withSyncLock<T>(db: Db, fn: () => Promise<T>): Promise<T | 'busy'> {
  if (holders.has(db)) return 'busy'
  holders.add(db)
  try {
    if (db.kind !== 'postgres') return await fn()
    return await db.transaction(async (tx) => {
      const [row] = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1) as ok', [SYNC_LOCK])
      return row!.ok ? fn() : 'busy'
    })
  } finally {
    holders.delete(db)
  }
}
