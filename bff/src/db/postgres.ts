import pg from 'pg'
import { postgresChangeFeed } from './change-feed'
import { groupCommit } from './group-commit'
import { DEFAULT_POOL_MAX, writeGroupsFor } from './pool-size'
import type { Db, Tx } from './types'
import { asUnavailable } from './unavailable'

/** How long a query may wait for a connection (the pool's, or a new one) before 503 `unavailable`. */
export const CONNECT_TIMEOUT_MS = 5_000

/** Serialization failure and deadlock: the transaction lost a race and may simply run again. */
const RETRYABLE = new Set(['40001', '40P01'])

export interface PostgresOptions {
  /** Connections at most (DATABASE_POOL_MAX). */
  poolMax?: number
  /** A connection broke (a restarted or unreachable server). */
  onConnectionError?: (e: Error) => void
  connectTimeoutMs?: number
  /** Write groups committing at once (see group-commit.ts); by default half the pool. */
  writeGroups?: number
}

/**
 * `onConnectionError` hears of connections that broke (a restarted or unreachable server): pg
 * reports them as 'error' events, which would end the process if nobody listened. The pool
 * drops such a connection and opens a new one for the next query. A query that cannot get a
 * connection within `connectTimeoutMs` fails with DatabaseUnavailableError instead of waiting
 * for ever on a dead server.
 */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Db> {
  const onConnectionError = opts.onConnectionError ?? (() => {})
  const poolMax = opts.poolMax ?? DEFAULT_POOL_MAX
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    // A peer that vanished without closing (a dropped network) is noticed by TCP, not never.
    keepAlive: true,
  })
  // An idle connection that breaks.
  pool.on('error', onConnectionError)
  // pg-pool takes its own 'error' listener off a connection when it hands it out, and may hand it to
  // a waiting transaction() while the driver is still reading the last answer; an error in the same
  // read (the server shutting down) then met no listener and ended the process (CI's PostgreSQL
  // restart test; reproduced in bff/test/db/pool-errors.test.ts). This listener stays for the
  // connection's life; the pool and transaction() still report the errors that matter.
  pool.on('connect', (client) => client.on('error', () => {}))
  // Fail at start, not at the first request, when the server is unreachable.
  try {
    await pool.query('select 1')
  } catch (e) {
    await pool.end().catch(() => {})
    throw e
  }
  async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await pool.connect().catch(asUnavailable)
    // A connection checked out of the pool has no pool listener: one that breaks mid-transaction
    // fails the query in flight, and its 'error' event must not end the process.
    client.on('error', onConnectionError)
    let broken: Error | undefined
    try {
      await client.query('begin')
      const result = await fn({
        query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
        exec: async (sql) => void (await client.query(sql)),
      })
      await client.query('commit')
      return result
    } catch (e) {
      await client.query('rollback').catch((r: Error) => (broken = r))
      return asUnavailable(e)
    } finally {
      client.off('error', onConnectionError)
      // A connection whose rollback failed is not returned to the pool.
      client.release(broken)
    }
  }
  // Concurrent writes share transactions, as on PGlite, but several groups commit at once; the
  // rest of the pool stays free for reads, so a burst of writes never starves GET requests.
  const write = groupCommit(transaction, { concurrency: opts.writeGroups ?? writeGroupsFor(poolMax), retryable: (e) => RETRYABLE.has((e as { code?: string }).code ?? '') })
  const changes = postgresChangeFeed({ url, notify: (channel, payload) => pool.query('select pg_notify($1, $2)', [channel, payload]), onError: onConnectionError })
  return {
    kind: 'postgres',
    changes,
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[]).catch(asUnavailable)).rows
    },
    async exec(sql) {
      await pool.query(sql).catch(asUnavailable)
    },
    transaction,
    write,
    writeBatched: write.batched,
    async close() {
      await changes.close()
      await pool.end()
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, max: poolMax, waiting: pool.waitingCount + write.queued() }),
  }
}

