import { gunzipSync, gzipSync } from 'node:zlib'
import { LOCK_FILE } from './data-dir-lock'
import { appliedMigrations } from './migrate'
import { openPglite, type PgliteDb } from './pglite'

/**
 * Backups of a PGlite data directory: PGlite's own tar of the directory (what `loadDataDir`
 * reads back), gzipped, without our lock file (a restored directory must not look held).
 */

/** The data directory of an open database as a backup archive. */
export async function backupArchive(db: PgliteDb): Promise<Buffer> {
  const tar = new Uint8Array(await (await db.dump('none')).arrayBuffer())
  return gzipSync(withoutLockFile(tar))
}

/** What a backup holds: its schema version and a count of the rows that matter most. */
export interface ArchiveSummary {
  migrations: string[]
  counts: Record<string, number>
}

/** Tables counted in a summary, when the schema version has them. */
export const SUMMARY_TABLES = ['members', 'departments', 'todos', 'outbox', 'role_grants', 'settings', 'sessions', 'admin_audit', 'member_contacts'] as const

/**
 * Checks an archive before anything is replaced: gzip intact (its CRC), a tar holding a
 * PostgreSQL data directory, and a database that opens and has been migrated. Returns the
 * tar (for `openPglite`'s snapshot) and what it holds.
 */
export async function readArchive(gz: Buffer): Promise<{ snapshot: Blob; summary: ArchiveSummary }> {
  let tar: Uint8Array
  try {
    tar = gunzipSync(gz)
  } catch (e) {
    throw new Error(`not a backup made by \`pnpm backup\`: it is not gzip or it is damaged (${(e as Error).message})`, { cause: e })
  }
  const names = tarEntries(tar).map((e) => e.name)
  if (!names.includes('/PG_VERSION')) throw new Error('not a backup made by `pnpm backup`: no PostgreSQL data directory in the archive')
  const snapshot = new Blob([withoutLockFile(tar)], { type: 'application/x-tar' })
  let db: PgliteDb
  try {
    db = await openPglite(undefined, snapshot)
  } catch (e) {
    throw new Error(`the archive's database does not open: ${(e as Error).message}`, { cause: e })
  }
  try {
    return { snapshot, summary: await summarize(db) }
  } finally {
    await db.close()
  }
}

export async function summarize(db: PgliteDb): Promise<ArchiveSummary> {
  const migrated = await db.query<{ t: string | null }>(`select to_regclass('schema_migrations')::text as t`)
  if (!migrated[0]?.t) throw new Error('the archive holds no portal database (no schema_migrations table)')
  const counts: Record<string, number> = {}
  for (const table of SUMMARY_TABLES) {
    const [exists] = await db.query<{ t: string | null }>('select to_regclass($1)::text as t', [table])
    if (exists?.t) counts[table] = (await db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n
  }
  return { migrations: await appliedMigrations(db), counts }
}

/** A tar's entries: 512-byte blocks, a header (name, octal size, type) then the data padded to a block. */
function tarEntries(tar: Uint8Array): { name: string; start: number; end: number }[] {
  const entries = []
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512)
    if (header.every((b) => b === 0)) break
    const field = (from: number, to: number) => Buffer.from(header.subarray(from, to)).toString('latin1').replace(/\0.*$/s, '')
    const prefix = field(345, 500)
    const name = (prefix ? `${prefix}/` : '') + field(0, 100)
    const size = parseInt(field(124, 136).trim() || '0', 8)
    if (!Number.isFinite(size)) throw new Error('not a backup made by `pnpm backup`: the tar is damaged')
    const end = off + 512 + Math.ceil(size / 512) * 512
    entries.push({ name, start: off, end })
    off = end
  }
  return entries
}

function withoutLockFile(tar: Uint8Array): Uint8Array {
  const lock = tarEntries(tar).find((e) => e.name === `/${LOCK_FILE}`)
  if (!lock) return tar
  const out = new Uint8Array(tar.length - (lock.end - lock.start))
  out.set(tar.subarray(0, lock.start))
  out.set(tar.subarray(lock.end), lock.start)
  return out
}
