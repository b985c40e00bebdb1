import { describe, expect, it } from 'vitest'
import { SYNC_LOCK, withSyncLock } from '../../src/directory/leader-lock'
import { postgresTestDb, REQUIRE_ALL, TEST_DATABASE_URL } from '../helpers/test-db'

describe.skipIf(!TEST_DATABASE_URL && !REQUIRE_ALL)('the sync lock [PostgreSQL]', () => {
  it('holds no snapshot while the run goes on: vacuum and the pruning of dead rows go on too', async () => {
    const db = await postgresTestDb(TEST_DATABASE_URL!)
    try {
      const seen = await withSyncLock(db, async () => {
        // What the run's reads and writes on other connections would find: the lock holder's xmin.
        const [row] = await db.query<{ state: string; xmin: string | null }>(
          `select a.state, a.backend_xmin::text as xmin from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.classid::bigint = $1 and l.granted`,
          [SYNC_LOCK],
        )
        return row
      })
      expect(seen).toEqual({ state: 'idle in transaction', xmin: null })
      // Another run meanwhile is told busy, as before.
      expect(await withSyncLock(db, async () => withSyncLock(db, async () => 'ran'))).toBe('busy')
    } finally {
      await db.close()
    }
  })
})
