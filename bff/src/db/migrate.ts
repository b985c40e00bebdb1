import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appFiles } from '../app-files'
import type { Db } from './types'

const DIR = appFiles.migrations
// Any constant works; it only has to be the same for every instance of this app.
const LOCK_KEY = 4_242_001

/**
 * Applies `migrations/NNN-name.sql` in order, once each, in one transaction. On PostgreSQL an
 * advisory lock makes instances that start together take turns.
 */
export async function migrate(db: Db): Promise<string[]> {
  const files = readdirSync(DIR).filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f)).sort()
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY])
    await tx.exec('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())')
    const done = new Set((await tx.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name))
    const applied: string[] = []
    for (const f of files) {
      if (done.has(f)) continue
      await tx.exec(readFileSync(join(DIR, f), 'utf8'))
      await tx.query('insert into schema_migrations(name) values ($1)', [f])
      applied.push(f)
    }
    return applied
  })
}
