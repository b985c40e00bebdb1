import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db, Tx } from '../../src/db'
import { MAX_GROUP } from '../../src/db/group-commit'
import { describeEachDb, postgresTestDb, TEST_DATABASE_URL } from '../helpers/test-db'

/** A write that inserts row `id` and says which transaction it ran in. */
const insert = (id: number) => async (tx: Tx) => {
  await tx.query('insert into write_test (id) values ($1)', [id])
  const [row] = await tx.query<{ txid: string }>('select txid_current()::text as txid')
  return { id, txid: row!.txid }
}

const rows = async (db: Db) => (await db.query<{ id: number }>('select id from write_test order by id')).map((r) => r.id)
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i)
const reasonOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? (r.reason as Error) : undefined)

describeEachDb('db.write: concurrent writes', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
    await db.exec(`
      create table write_test (id integer primary key);
      -- Checked at COMMIT, not at the insert: how a write can pass its statements and still fail to commit.
      create table write_deferred (k integer, constraint write_deferred_k unique (k) deferrable initially deferred);
    `)
  })
  afterAll(() => db.close())
  beforeEach(() => db.exec('truncate write_test, write_deferred'))

  // ---- failure paths first -------------------------------------------------------------------

  it('a write that throws fails alone, with its own error; the writes beside it commit', async () => {
    const results = await Promise.allSettled(
      range(20).map((i) =>
        db.write(async (tx) => {
          const r = await insert(i)(tx)
          if (i === 7) throw new Error('write 7 refuses')
          return r
        }),
      ),
    )
    expect(reasonOf(results[7]!)?.message).toBe('write 7 refuses')
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1)
    // Its insert went with it; everyone else's is there.
    expect(await rows(db)).toEqual(range(20).filter((i) => i !== 7))
  })

  it('a statement that fails fails only its write, with the database error (not "transaction aborted" for the rest)', async () => {
    await db.query('insert into write_test (id) values (1000)')
    const results = await Promise.allSettled([...range(10).map((i) => db.write(insert(i))), db.write(insert(1000)), ...range(10, 10).map((i) => db.write(insert(i)))])
    const failed = results.map(reasonOf).filter(Boolean)
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ code: '23505' })
    expect(await rows(db)).toEqual([...range(20), 1000])
  })

  it('answers only after COMMIT: a commit that fails fails every write in it, and none of them is stored', async () => {
    // Write 5 and write 6 both insert k = 1: each statement passes, the COMMIT that holds both does not.
    const results = await Promise.allSettled(
      range(12).map((i) =>
        db.write(async (tx) => {
          if (i === 5 || i === 6) await tx.query('insert into write_deferred (k) values (1)')
          return insert(i)(tx)
        }),
      ),
    )
    if (db.kind === 'pglite') {
      // The first write runs alone (nothing else was queued); the other 11 shared one transaction.
      expect(results[0]!.status).toBe('fulfilled')
      for (const r of results.slice(1)) expect(reasonOf(r)).toMatchObject({ code: '23505' })
      expect(await rows(db)).toEqual([0])
    } else {
      // Each write its own transaction: only the second of the two fails.
      expect(results.map(reasonOf).filter(Boolean)).toEqual([expect.objectContaining({ code: '23505' })])
      expect((await rows(db)).length).toBe(11)
    }
  })

  // ---- normal paths ----------------------------------------------------------------------------

  it('many concurrent writes: each answered with its own result, all stored', async () => {
    const n = 3 * MAX_GROUP + 5
    const results = await Promise.all(range(n).map((i) => db.write(insert(i))))
    expect(results.map((r) => r.id)).toEqual(range(n))
    expect(await rows(db)).toEqual(range(n))
    const perTx = new Map<string, number>()
    for (const r of results) perTx.set(r.txid, (perTx.get(r.txid) ?? 0) + 1)
    if (db.kind === 'pglite') {
      // Group commit: writes that queued together share a transaction, never more than MAX_GROUP.
      expect(Math.max(...perTx.values())).toBe(MAX_GROUP)
      expect(perTx.size).toBeLessThanOrEqual(Math.ceil((n - 1) / MAX_GROUP) + 1)
    } else {
      expect(perTx.size).toBe(n)
    }
  })

  it('a lone write is not held back waiting for company', async () => {
    const { txid } = await db.write(insert(1))
    const { txid: next } = await db.write(insert(2))
    expect(next).not.toBe(txid)
    expect(await rows(db)).toEqual([1, 2])
  })

  it('plain queries run while writes are queued, and see whole groups or nothing of them', async () => {
    const writes = Promise.all(range(100).map((i) => db.write(insert(i))))
    const [{ n }] = (await db.query<{ n: number }>('select count(*)::int as n from write_test')) as [{ n: number }]
    // PGlite: groups of 1 (the first, alone), then 64, then 35.
    if (db.kind === 'pglite') expect([0, 1, 1 + MAX_GROUP, 100]).toContain(n)
    await writes
    expect((await rows(db)).length).toBe(100)
  })
})

// PostgreSQL only: on PGlite a group's writes run one after another, so two cannot cross.
describe.runIf(!!TEST_DATABASE_URL)('db.write on PostgreSQL: deadlocks', () => {
  let db: Db
  beforeAll(async () => {
    db = await postgresTestDb(TEST_DATABASE_URL!)
    await db.exec('create table write_test (id integer primary key)')
  })
  afterAll(() => db.close())

  it('PostgreSQL: a write that loses a deadlock runs again once, and both succeed', async () => {
    await db.query('insert into write_test (id) values (1), (2)')
    let runs = 0
    let arrived = 0
    let bothHoldOne!: () => void
    const barrier = new Promise<void>((r) => (bothHoldOne = r))
    // Each locks one row, waits until the other holds the other row, then wants it: a deadlock
    // PostgreSQL breaks (after deadlock_timeout, 1 s) by failing one of them with 40P01.
    const crossing = (first: number, second: number) =>
      db.write(async (tx) => {
        runs++
        await tx.query('update write_test set id = id where id = $1', [first])
        if (++arrived === 2) bothHoldOne()
        await barrier
        await tx.query('update write_test set id = id where id = $1', [second])
        return first
      })
    expect(await Promise.all([crossing(1, 2), crossing(2, 1)])).toEqual([1, 2])
    expect(runs).toBe(3)
  })
})
