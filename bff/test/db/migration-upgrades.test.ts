import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import { openDb, type Db } from '../../src/db'
import { appliedMigrations, migrate, migrationFiles, SchemaNewerError } from '../../src/db/migrate'
import { openPglite } from '../../src/db/pglite'
import { createDeps } from '../../src/deps'
import { createLogger } from '../../src/log'
import { REQUIRE_ALL, TEST_DATABASE_URL } from '../helpers/test-db'
import { fixtures } from './migration-fixtures'

const files = migrationFiles()
const log = createLogger({ level: 'error', write: () => {} })

/** An empty database (no migration applied) per call, for one store. */
type Store = { name: string; fresh(): Promise<Db>; done(): Promise<void> }

function pgliteStore(): Store {
  // One PGlite, a schema per database: starting a PGlite per schema version would cost seconds each.
  let shared: Promise<Db> | undefined
  let n = 0
  return {
    name: 'PGlite',
    async fresh() {
      const db = await (shared ??= openPglite())
      const schema = `v${n++}`
      await db.exec(`create schema ${schema}; set search_path to ${schema}`)
      return { ...db, close: async () => {} }
    },
    async done() {
      await (await shared)?.close()
    },
  }
}

function postgresStore(url: string): Store {
  const schemas: string[] = []
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    await c.query(sql).finally(() => c.end())
  }
  return {
    name: 'PostgreSQL',
    async fresh() {
      const schema = `up_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
      await admin(`create schema ${schema}`)
      schemas.push(schema)
      const sep = url.includes('?') ? '&' : '?'
      const { openPostgres } = await import('../../src/db/postgres')
      return openPostgres(`${url}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`)
    },
    async done() {
      for (const s of schemas) await admin(`drop schema ${s} cascade`)
    },
  }
}

const stores: Store[] = [pgliteStore()]
if (TEST_DATABASE_URL) stores.push(postgresStore(TEST_DATABASE_URL))
else if (REQUIRE_ALL) throw new Error('REQUIRE_ALL_SUITES=1 but TEST_DATABASE_URL is not set: the PostgreSQL upgrade suite cannot run')
else console.warn('\n  !!! SKIPPED: "upgrades from every schema version" on PostgreSQL — set TEST_DATABASE_URL to run it.\n')

it('every migration has a fixture (rows as that version wrote them), and every fixture a migration', () => {
  expect(Object.keys(fixtures).sort()).toEqual(files)
})

for (const store of stores) {
  afterAll(() => store.done())

  describe(`upgrades from every schema version, with data [${store.name}]`, () => {
    // Version k = the first k migrations applied; 0 is an empty database.
    for (let k = 0; k <= files.length; k++) {
      const from = k === 0 ? 'an empty database' : files[k - 1]!
      const title = k === files.length ? `written at ${from}, the latest: every row reads back` : `from ${from} to ${files.at(-1)}: every row survives, in the current shape`
      it(title, async () => {
        const db = await store.fresh()
        try {
          // Each version's rows are written by "its" code, right after its migration.
          for (let i = 0; i < k; i++) {
            expect(await migrate(db, files.slice(0, i + 1))).toEqual([files[i]])
            await fixtures[files[i]!]!.insert(db)
          }
          // The upgrade: everything after version k, in one go, as a new build does at start.
          expect(await migrate(db)).toEqual(files.slice(k))
          expect(await appliedMigrations(db)).toEqual(files)
          for (const f of files.slice(0, k)) await fixtures[f]!.check(db)
          // And the current build writes and reads its own shape on it.
          const last = files.at(-1)!
          if (k < files.length) {
            await fixtures[last]!.insert(db)
            await fixtures[last]!.check(db)
          }
        } finally {
          await db.close()
        }
      }, 60_000)
    }
  })

  describe(`an older build meets a newer schema (rolling upgrade) [${store.name}]`, () => {
    let db: Db
    beforeAll(async () => {
      db = await store.fresh()
      await migrate(db)
    })
    afterAll(() => db.close())

    it('an older build refuses to migrate or start on it, naming the migrations it does not know, and changes nothing', async () => {
      const older = files.slice(0, -1)
      const err = await migrate(db, older).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SchemaNewerError)
      expect((err as Error).message).toBe(`database schema is newer than this build: ${files.at(-1)}`)
      expect(await appliedMigrations(db)).toEqual(files)
      // The current build on the same database goes on.
      expect(await migrate(db)).toEqual([])
    })

    it('a build that migrated the database under a running instance: that instance refuses (it knows fewer)', async () => {
      await db.query(`insert into schema_migrations (name) values ('999-from-a-newer-build.sql')`)
      try {
        await expect(migrate(db)).rejects.toThrow('database schema is newer than this build: 999-from-a-newer-build.sql')
      } finally {
        await db.query(`delete from schema_migrations where name = '999-from-a-newer-build.sql'`)
      }
    })
  })
}

describe.skipIf(!TEST_DATABASE_URL)('a running instance whose database a newer build migrated [PostgreSQL]', () => {
  it('/readyz turns 503 with "database schema is newer than this build: <name>", and 200 again once it is not', async () => {
    const store = postgresStore(TEST_DATABASE_URL!)
    const db = await store.fresh()
    try {
      await migrate(db)
      const loaded = loadConfig({}, '/nonexistent')
      if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
      const app = createApp(await createDeps(loaded.config, { db, log }))
      expect((await app.request('/readyz')).status).toBe(200)
      // Another instance, of a newer build, starts and migrates.
      await db.query(`insert into schema_migrations (name) values ('999-from-a-newer-build.sql')`)
      const res = await app.request('/readyz')
      expect(res.status).toBe(503)
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'unavailable',
        message: 'database schema is newer than this build: 999-from-a-newer-build.sql',
      })
      // A restart of this build does not get past opening the database either.
      const url = await searchPathUrl(db)
      await expect(openDb({ url })).rejects.toThrow('database schema is newer than this build: 999-from-a-newer-build.sql')
      await db.query(`delete from schema_migrations where name = '999-from-a-newer-build.sql'`)
      expect((await app.request('/readyz')).status).toBe(200)
    } finally {
      await db.close()
      await store.done()
    }
  }, 60_000)
})

/** The URL of the schema `db` works in (its search_path), for a second connection to it. */
async function searchPathUrl(db: Db): Promise<string> {
  const [{ s }] = (await db.query<{ s: string }>('select current_schema() as s')) as [{ s: string }]
  const sep = TEST_DATABASE_URL!.includes('?') ? '&' : '?'
  return `${TEST_DATABASE_URL}${sep}options=${encodeURIComponent(`-c search_path=${s}`)}`
}
