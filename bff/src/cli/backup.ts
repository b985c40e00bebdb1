import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadConfig } from '../config'
import { DataDirBusyError } from '../db/data-dir-lock'
import { openPglite } from '../db/pglite'
import { backupArchive, readArchive, summarize } from '../db/pglite-archive'
import { busyMessage, describeSummary, postgresInstructions } from './backup-common'

// `pnpm backup [--out <file>]`: the PGlite data directory (DATA_DIR) as one .tar.gz, taken while
// the server is stopped, and read back before it counts. Exit 0 written, 1 refused or failed,
// 2 DATABASE_URL is set (PostgreSQL: pg_dump, printed).
const args = process.argv.slice(2)
const outAt = args.indexOf('--out')
if (outAt >= 0 && !args[outAt + 1]) fail('--out needs a file name')

const loaded = loadConfig()
if (!loaded.ok) fail(`Configuration problems:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}`)
const { database } = loaded.config
if (database.url) {
  console.error(postgresInstructions('backup'))
  process.exit(2)
}
if (!existsSync(join(database.dataDir, 'PG_VERSION'))) fail(`No PGlite database in ${database.dataDir} (DATA_DIR): nothing to back up.`)
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
const out = resolve(outAt >= 0 ? args[outAt + 1]! : `portal-backup-${stamp}.tar.gz`)
if (existsSync(out)) fail(`${out} exists: refusing to overwrite it. Choose another --out.`)

const db = await openPglite(database.dataDir).catch((e: unknown) => fail(e instanceof DataDirBusyError ? busyMessage(e, 'backup') : `Cannot open ${database.dataDir}: ${String(e)}`))
let archive: Buffer
let summary
try {
  // Nothing else has the directory open (the lock): this copy is the database as it stands.
  summary = await summarize(db)
  archive = await backupArchive(db)
} catch (e) {
  fail(`Cannot back up ${database.dataDir}: ${(e as Error).message}`)
} finally {
  await db.close()
}
// A backup counts once it has been read back: it opens, and holds what the directory held.
const check = await readArchive(archive).catch((e: unknown) => fail(`The backup did not read back, nothing written: ${(e as Error).message}`))
if (JSON.stringify(check.summary) !== JSON.stringify(summary)) fail(`The backup did not read back the same, nothing written:\n  directory ${describeSummary(summary)}\n  backup    ${describeSummary(check.summary)}`)
const tmp = `${out}.${process.pid}.tmp`
writeFileSync(tmp, archive)
renameSync(tmp, out)
console.log(`Backed up ${resolve(database.dataDir)} to ${out} (${(statSync(out).size / 1e6).toFixed(1)} MB)`)
console.log(`  ${describeSummary(summary)}`)
console.log(`Restore it with: pnpm restore ${out}  (in the built folder: node restore.js ${out})`)

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}
