import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { describe } from 'vitest'
import { appFiles } from '../../src/app-files'
import { openDb, type Db } from '../../src/db'
import { migrate } from '../../src/db/migrate'
import { openPglite } from '../../src/db/pglite'

const MIGRATIONS = appFiles.migrations
const CACHE = join(import.meta.dirname, '../../node_modules/.cache/portal-test')

/** A migrated in-memory PGlite, started from a snapshot cached on disk per migration set. */
export async function pgliteTestDb(): Promise<Db> {
  const hash = createHash('sha256')
  for (const f of readdirSync(MIGRATIONS).sort()) hash.update(f).update(readFileSync(join(MIGRATIONS, f)))
  const file = join(CACHE, `pglite-${hash.digest('hex').slice(0, 16)}.tar.gz`)
  if (existsSync(file)) {
    const db = await openPglite(undefined, new Blob([readFileSync(file)]))
    await migrate(db)
    return db
  }
  const db = await openPglite()
  await migrate(db)
  mkdirSync(CACHE, { recursive: true })
  const tmp = `${file}.${process.pid}`
  writeFileSync(tmp, Buffer.from(await (await db.dump()).arrayBuffer()))
  renameSync(tmp, file)
  return db
}

/** A migrated PostgreSQL database in a schema of its own, dropped on close. */
export async function postgresTestDb(url: string, opts: Omit<Parameters<typeof openDb>[0], 'url' | 'dataDir'> = {}): Promise<Db> {
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const sep = url.includes('?') ? '&' : '?'
  const db = await openDb({ ...opts, url: `${url}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` })
  return {
    ...db,
    async close() {
      await db.query(`drop schema ${schema} cascade`)
      await db.close()
    },
  }
}

/**
 * A fresh, empty database on the PostgreSQL server of `url` (benches: a whole database, not a
 * schema, so pool and planner behave as in production); `drop` removes it, ending its connections.
 */
export async function freshPostgresDatabase(url: string, prefix = 'scratch'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    try {
      await c.query(sql)
    } finally {
      await c.end()
    }
  }
  await admin(`create database ${name}`)
  const u = new URL(url)
  u.pathname = `/${name}`
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) }
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL
/** CI sets this: a suite that would be skipped fails instead. */
export const REQUIRE_ALL = process.env.REQUIRE_ALL_SUITES === '1'

/** Runs a suite on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set (saying loudly when not). */
export function describeEachDb(name: string, fn: (open: () => Promise<Db>) => void): void {
  describe(`${name} [PGlite]`, () => fn(pgliteTestDb))
  if (TEST_DATABASE_URL) {
    describe(`${name} [PostgreSQL]`, () => fn(() => postgresTestDb(TEST_DATABASE_URL)))
  } else if (REQUIRE_ALL) {
    describe(`${name} [PostgreSQL]`, () => {
      throw new Error('REQUIRE_ALL_SUITES=1 but TEST_DATABASE_URL is not set: the PostgreSQL suite cannot run')
    })
  } else {
    console.warn(`\n  !!! SKIPPED: "${name}" on PostgreSQL — set TEST_DATABASE_URL to run it.\n`)
  }
}
