import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadConfig } from '../config'
import { DataDirBusyError, LOCK_FILE, lockDataDir } from '../db/data-dir-lock'
import { migrationFiles } from '../db/migrate'
import { openPglite } from '../db/pglite'
import { readArchive, summarize } from '../db/pglite-archive'
import { busyMessage, describeSummary, postgresInstructions } from './backup-common'

// `pnpm restore <file> [--force]`: a `pnpm backup` archive into the PGlite data directory
// (DATA_DIR), with the server stopped. The archive is checked in full first; a directory that
// holds anything is replaced only with --force. Exit 0 restored, 1 refused or failed, 2
// DATABASE_URL is set (PostgreSQL: pg_restore, printed).
const args = process.argv.slice(2)
const force = args.includes('--force')
const file = args.find((a) => !a.startsWith('--'))

const loaded = loadConfig()
if (!loaded.ok) fail(`Configuration problems:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}`)
const { database } = loaded.config
if (database.url) {
  console.error(postgresInstructions('restore'))
  process.exit(2)
}
if (!file) fail('Usage: pnpm restore <backup.tar.gz> [--force]')

let bytes: Buffer
try {
  bytes = readFileSync(resolve(file))
} catch (e) {
  fail(`Cannot read ${resolve(file)}: ${(e as Error).message}`)
}
const archive = await readArchive(bytes).catch((e: unknown) => fail(`Refusing ${resolve(file)}: ${(e as Error).message}. Nothing was changed.`))
const known = migrationFiles()
const newer = archive.summary.migrations.filter((m) => !known.includes(m))
if (newer.length) fail(`Refusing ${resolve(file)}: it was made by a newer build (schema ${newer.join(', ')}). Restore it with that build or a newer one. Nothing was changed.`)

const dir = resolve(database.dataDir)
mkdirSync(dir, { recursive: true })
let lock
try {
  lock = lockDataDir(dir)
} catch (e) {
  fail(e instanceof DataDirBusyError ? busyMessage(e, 'restore') : `Cannot use ${dir}: ${String(e)}`)
}
const present = readdirSync(dir).filter((f) => f !== LOCK_FILE)
if (present.length && !force) {
  lock.release()
  fail(`${dir} (DATA_DIR) is not empty: refusing to replace it. Back it up first if you may want it (pnpm backup), then: pnpm restore ${file} --force. Nothing was changed.`)
}
for (const f of present) rmSync(join(dir, f), { recursive: true, force: true })
// Opening with the archive as its snapshot writes it into the directory (and keeps our lock).
const db = await openPglite(dir, archive.snapshot, { lock })
let restored
try {
  restored = await summarize(db)
} finally {
  await db.close()
}
if (JSON.stringify(restored) !== JSON.stringify(archive.summary)) fail(`The restored directory differs from the backup:\n  backup   ${describeSummary(archive.summary)}\n  restored ${describeSummary(restored)}`)
console.log(`Restored ${resolve(file)} into ${dir}`)
console.log(`  ${describeSummary(restored)}`)
if (restored.migrations.length < known.length) console.log('  The backup is from an older build: the server applies the newer migrations when it starts.')

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}
