import { mkdirSync } from 'node:fs'
import { lockDataDir, type DataDirLock } from './data-dir-lock'
import { localChangeFeed } from './change-feed'
import { groupCommit } from './group-commit'
import { initPgliteDir } from './pglite-init'
import { startPgliteThread, type PgliteThread } from './pglite-client'
import type { Db } from './types'

/**
 * PostgreSQL's page cache lives inside PGlite's WebAssembly memory, and PGlite's default (160 MB)
 * is all resident once touched. The data files sit on disk behind the OS page cache anyway, so a
 * smaller pool costs little: measured on an idle server, 32 MB keeps RSS about 140 MB lower.
 */
const START_PARAMS = ['-c', 'shared_buffers=32MB']

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
  let pg: PgliteThread
  try {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true })
      lock ??= lockDataDir(dataDir)
      if (!snapshot) await initPgliteDir(dataDir)
    }
    pg = await startPgliteThread({ dataDir, startParams: START_PARAMS, snapshot })
  } catch (e) {
    lock?.release()
    throw e
  }
  const { query, exec, transaction } = pg
  const write = groupCommit(transaction, { concurrency: 1, gatherTurn: true })
  return {
    kind: 'pglite',
    changes: localChangeFeed(),
    query,
    exec,
    transaction,
    // PGlite runs one transaction at a time: concurrent writes share one.
    write,
    writeBatched: write.batched,
    stats: () => ({ waiting: write.queued() }),
    async close() {
      try {
        await pg.close()
      } finally {
        lock?.release()
      }
    },
    dump: (compression = 'gzip') => pg.dump(compression),
  }
}
