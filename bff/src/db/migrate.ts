import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appFiles } from '../app-files'
import type { Db, Queryable } from './types'

const DIR = appFiles.migrations
// Any constant works; it only has to be the same for every instance of this app.
const LOCK_KEY = 4_242_001

/** The migrations this build knows, in the order they apply (`NNN-name.sql`). */
export function migrationFiles(): string[] {
  return readdirSync(DIR).filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f)).sort()
}

/**
 * The database has migrations this build does not know: a newer build migrated it (a rolling
 * upgrade, or a downgrade). This build would read and write an old shape, so it stays out.
 */
export class SchemaNewerError extends Error {
  constructor(readonly unknown: string[]) {
    super(`database schema is newer than this build: ${unknown.join(', ')}`)
    this.name = 'SchemaNewerError'
  }
}

/**
 * Applies `migrations/NNN-name.sql` in order, once each, in one transaction. On PostgreSQL an
 * advisory lock makes instances that start together take turns. Refuses (SchemaNewerError,
 * nothing applied) a database that already holds a migration this build does not know.
 * `files`: a prefix of migrationFiles() (tests of upgrades from an earlier version).
 */
export async function migrate(db: Db, files: string[] = migrationFiles()): Promise<string[]> {
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY])
    await tx.exec('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())')
    const done = await appliedMigrations(tx)
    const unknown = done.filter((name) => !files.includes(name))
    if (unknown.length) throw new SchemaNewerError(unknown)
    const applied: string[] = []
    for (const f of files) {
      if (done.includes(f)) continue
      await tx.exec(readFileSync(join(DIR, f), 'utf8'))
      await tx.query('insert into schema_migrations(name) values ($1)', [f])
      applied.push(f)
    }
    return applied
  })
}

/** Names in schema_migrations, in order (none when the table does not exist yet is the caller's concern). */
export async function appliedMigrations(db: Queryable): Promise<string[]> {
  return (await db.query<{ name: string }>('select name from schema_migrations order by name')).map((r) => r.name)
}

/**
 * Why this build must not serve this database, or undefined. For a running instance: another
 * instance of a newer build may migrate the database under it (see the README's "Upgrades").
 */
export async function schemaMismatch(db: Queryable, known: string[]): Promise<string | undefined> {
  const unknown = (await appliedMigrations(db)).filter((name) => !known.includes(name))
  return unknown.length ? new SchemaNewerError(unknown).message : undefined
}
