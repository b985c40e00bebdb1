import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { groupCommit } from './group-commit'
import { initPgliteDir } from './pglite-init'
import type { Db, Tx } from './types'

/**
 * PostgreSQL's page cache lives inside PGlite's WebAssembly memory, and PGlite's default (160 MB)
 * is all resident once touched. The data files sit on disk behind the OS page cache anyway, so a
 * smaller pool costs little: measured on an idle server, 32 MB keeps RSS about 140 MB lower.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB']

/**
 * Embedded PostgreSQL: a directory on disk, or memory when `dataDir` is undefined. `snapshot`
 * (from `dumpDataDir`) starts from a copy, which is how tests skip the 2–3 s first start.
 */
export async function openPglite(dataDir?: string, snapshot?: Blob): Promise<Db & { dump(): Promise<Blob> }> {
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true })
    if (!snapshot) await initPgliteDir(dataDir)
  }
  const pg = new PGlite(dataDir, { startParams: START_PARAMS, ...(snapshot ? { loadDataDir: snapshot } : {}) })
  await pg.waitReady
  const transaction = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
    pg.transaction((tx) =>
      fn({
        query: async (sql, params) => (await tx.query(sql, params)).rows as never,
        exec: async (sql) => void (await tx.exec(sql)),
      }),
    )
  return {
    kind: 'pglite',
    async query(sql, params) {
      return (await pg.query(sql, params)).rows as never
    },
    async exec(sql) {
      await pg.exec(sql)
    },
    transaction,
    // PGlite runs one transaction at a time: concurrent writes share one.
    write: groupCommit(transaction),
    async close() {
      await pg.close()
    },
    dump: () => pg.dumpDataDir('gzip'),
  }
}
