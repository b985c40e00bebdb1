import type { Db, Queryable } from '../db'
import { DatabaseUnavailableError, isUnavailable } from '../db/unavailable'

// The same for every instance of this app, and unlike the other advisory keys (migrations
// 4_242_001, the callback worker 4_242_002, retention 4_242_004, each with the schema).
export const SYNC_LOCK = 4_242_003
// Per database handle, so two app instances in one test process still meet at PostgreSQL's lock.
const holders = new WeakSet<Db>()

/** Thrown by `StillLeader` when the connection holding the lock has ended. */
export class LostSyncLock extends Error {
  constructor() {
    super('lost the sync lock: the database connection holding it ended (was the database restarted?); nothing was written, the next run starts over')
    this.name = 'LostSyncLock'
  }
}

/** Throws LostSyncLock unless this run still holds the lock; `q` is the transaction about to write. */
export type StillLeader = (q: Queryable) => Promise<void>

/**
 * Runs `fn` only if no other sync runs: in this process (a flag) and, on PostgreSQL, in any
 * instance sharing the database (a transaction-scoped advisory lock held for the whole run;
 * `fn` uses other connections). Returns `busy` instead of waiting.
 *
 * A database restart ends the session holding the lock, and with it the lock, while `fn` goes on
 * reading WeCom: another instance may then start a run of its own. So `fn` calls `stillLeader`
 * inside its write transaction, which looks for the lock under the holding session's pid.
 */
export async function withSyncLock<T>(db: Db, fn: (stillLeader: StillLeader) => Promise<T>): Promise<T | 'busy'> {
  if (holders.has(db)) return 'busy'
  holders.add(db)
  let done: { value: T } | undefined
  try {
    if (db.kind !== 'postgres') return await fn(async () => {})
    return await db.transaction(async (tx) => {
      // Keyed by schema too: portals in different schemas of one database are different corps.
      // No parameters, on purpose: a statement sent with parameters leaves its portal open, and
      // the portal its snapshot, until the transaction's next statement, which here is its end.
      // The lock's transaction would then hold back vacuum and the pruning of dead rows in every
      // table for the whole run.
      const [row] = await tx.query<{ ok: boolean; pid: number; schema: number }>(
        `select pg_try_advisory_xact_lock(${SYNC_LOCK}, hashtext(current_schema())) as ok, pg_backend_pid() as pid, hashtext(current_schema()) as schema`,
      )
      if (!row!.ok) return 'busy'
      const stillLeader: StillLeader = async (q) => {
        // A two-int advisory lock shows as classid = the first key, objid = the second, objsubid 2.
        const held = await q.query(
          "select 1 from pg_locks where locktype = 'advisory' and classid::bigint = $1 and objid::bigint = ($2::int::bigint & 4294967295) and objsubid = 2 and pid = $3 and granted",
          [SYNC_LOCK, row!.schema, row!.pid],
        )
        if (!held.length) throw new LostSyncLock()
      }
      done = { value: await fn(stillLeader) }
      return done.value
    })
  } catch (e) {
    // The run ended and recorded itself; only ending the lock's transaction failed, because its
    // connection is gone, which released the lock all the same.
    if (done && (isUnavailable(e) || e instanceof DatabaseUnavailableError)) return done.value
    throw e
  } finally {
    holders.delete(db)
  }
}
