import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { lockDataDir, type DataDirLock } from './data-dir-lock'
import type { Db } from './types'

export type PgliteDb = Db & {
  /** The data directory as a tar archive (gzip unless 'none'): a consistent copy, taken between queries. */
  dump(compression?: 'gzip' | 'none'): Promise<Blob>
}

/**
 * Embedded PostgreSQL: a directory on disk, or memory when `dataDir` is undefined. `snapshot`
 * (from `dump`) starts from a copy, which is how tests skip the 2–3 s first start and how
 * `pnpm restore` fills a data directory. A directory is locked while open (data-dir-lock.ts);
 * `lock`: one the caller took already, released on close like our own.
 */
export async function openPglite(dataDir?: string, snapshot?: Blob, opts: { lock?: DataDirLock } = {}): Promise<PgliteDb> {
  let lock = opts.lock
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true })
    lock ??= lockDataDir(dataDir)
  }
  let pg: PGlite
  try {
    // One options object: `new PGlite(undefined, { loadDataDir })` ignores its options (PGlite
    // 0.5 reads a non-string first argument as the options), so in-memory snapshots never loaded.
    pg = new PGlite({ dataDir, ...(snapshot ? { loadDataDir: snapshot } : {}) })
    await pg.waitReady
  } catch (e) {
    lock?.release()
    throw e
  }
  return {
    kind: 'pglite',
    async query(sql, params) {
      return (await pg.query(sql, params)).rows as never
    },
    async exec(sql) {
      await pg.exec(sql)
    },
    transaction(fn) {
      return pg.transaction((tx) =>
        fn({
          query: async (sql, params) => (await tx.query(sql, params)).rows as never,
          exec: async (sql) => void (await tx.exec(sql)),
        }),
      )
    },
    async close() {
      try {
        await pg.close()
      } finally {
        lock?.release()
      }
    },
    dump: (compression = 'gzip') => pg.dumpDataDir(compression),
  }
}
