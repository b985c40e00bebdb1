import { migrate } from './migrate'
import { openPglite } from './pglite'
import { openPostgres, type PostgresOptions } from './postgres'
import type { Db } from './types'

export type { Batch, Db, DbStats, Queryable, Tx, WriteFn } from './types'
export { DatabaseUnavailableError } from './unavailable'
export { openPostgres } from './postgres'

/**
 * PostgreSQL when a URL is given (`poolMax`, `onConnectionError`, `connectTimeoutMs`: see
 * openPostgres), else PGlite in `dataDir` (or in memory when that is undefined too).
 */
export async function openDb(opts: { url?: string; dataDir?: string } & PostgresOptions): Promise<Db> {
  const { url, dataDir, ...pgOpts } = opts
  const db = url ? await openPostgres(url, pgOpts) : await openPglite(dataDir)
  try {
    await migrate(db)
  } catch (e) {
    await db.close()
    throw e
  }
  return db
}
