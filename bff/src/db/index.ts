import { migrate } from './migrate'
import { openPglite } from './pglite'
import { openPostgres } from './postgres'
import type { Db } from './types'

export type { Db, Queryable, Tx } from './types'
export { openPostgres } from './postgres'

/**
 * PostgreSQL when a URL is given, else PGlite in `dataDir` (or in memory when that is undefined
 * too). `onConnectionError`: a PostgreSQL connection broke (see openPostgres).
 */
export async function openDb(opts: { url?: string; dataDir?: string; onConnectionError?: (e: Error) => void }): Promise<Db> {
  const db = opts.url ? await openPostgres(opts.url, opts.onConnectionError) : await openPglite(opts.dataDir)
  try {
    await migrate(db)
  } catch (e) {
    await db.close()
    throw e
  }
  return db
}
