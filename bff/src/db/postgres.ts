import pg from 'pg'
import type { Db } from './types'

/**
 * `onConnectionError` hears of connections that broke (a restarted or unreachable server): pg
 * reports them as 'error' events, which would end the process if nobody listened. The pool
 * drops such a connection and opens a new one for the next query.
 */
export async function openPostgres(url: string, onConnectionError: (e: Error) => void = () => {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  // An idle connection that breaks.
  pool.on('error', onConnectionError)
  // Fail at start, not at the first request, when the server is unreachable.
  try {
    await pool.query('select 1')
  } catch (e) {
    await pool.end().catch(() => {})
    throw e
  }
  return {
    kind: 'postgres',
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[])).rows
    },
    async exec(sql) {
      await pool.query(sql)
    },
    async transaction(fn) {
      const client = await pool.connect()
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
        throw e
      } finally {
        client.off('error', onConnectionError)
        // A connection whose rollback failed is not returned to the pool.
        client.release(broken)
      }
    },
    async close() {
      await pool.end()
    },
  }
}
