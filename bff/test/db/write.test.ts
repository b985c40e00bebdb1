import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Batch, Db, Tx } from '../../src/db'
import { MAX_GROUP } from '../../src/db/group-commit'
import { DEFAULT_POOL_MAX, writeGroupsFor } from '../../src/db/pool-size'
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
/** Groups that commit at once: one on PGlite, half the pool on PostgreSQL. */
const groupsOf = (db: Db) => (db.kind === 'pglite' ? 1 : writeGroupsFor(DEFAULT_POOL_MAX))
/**
 * Writes of one burst that find a group slot free and run alone: one per slot on PostgreSQL;
 * none on PGlite, whose group starts at the end of the event-loop turn with the whole burst.
 */
const aloneOf = (db: Db) => (db.kind === 'pglite' ? 0 : groupsOf(db))
const subsetSums = (sizes: number[]) => sizes.reduce((sums, s) => [...new Set([...sums, ...sums.map((x) => x + s)])], [0])
/** A batch that inserts every item in one statement, and records the items of each call. */
const insertMany = (calls: number[][]): Batch<number, number> => ({
  async run(tx, ids) {
    calls.push(ids)
    await tx.query('insert into write_test (id) select unnest($1::int[])', [ids])
    return ids
  },
})
/** An error as PostgreSQL reports a serialization failure. */
const lostRace = () => Object.assign(new Error('could not serialize access'), { code: '40001' })

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
    // The first `groups` writes found a group slot free and ran alone (none on PGlite); the other
    // ones queued and shared one transaction, whose COMMIT failed for all of them.
    const alone = aloneOf(db)
    for (const r of results.slice(0, alone)) expect(r.status).toBe('fulfilled')
    for (const r of results.slice(alone)) expect(reasonOf(r)).toMatchObject({ code: '23505' })
    expect(await rows(db)).toEqual(range(alone))
  })

  it('batched writes: a batch that fails runs again item by item, and only the bad item fails, with its own error', async () => {
    await db.query('insert into write_test (id) values (1000)')
    const calls: number[][] = []
    const batch = insertMany(calls)
    const results = await Promise.allSettled([...range(10), 1000, ...range(10, 10)].map((id) => db.writeBatched(batch, id)))
    const failed = results.map(reasonOf).filter(Boolean)
    expect(failed).toEqual([expect.objectContaining({ code: '23505' })])
    expect(reasonOf(results[10]!)).toMatchObject({ code: '23505' })
    expect(await rows(db)).toEqual([...range(20), 1000])
    // The shared statement failed once; then every item went alone (in its savepoint).
    expect(calls.filter((c) => c.length > 1)).toHaveLength(1)
    expect(calls.filter((c) => c.length === 1).length).toBeGreaterThanOrEqual(20)
  })

  // ---- normal paths ----------------------------------------------------------------------------

  it('many concurrent writes: each answered with its own result, all stored', async () => {
    const n = 3 * MAX_GROUP + 5
    const results = await Promise.all(range(n).map((i) => db.write(insert(i))))
    expect(results.map((r) => r.id)).toEqual(range(n))
    expect(await rows(db)).toEqual(range(n))
    const perTx = new Map<string, number>()
    for (const r of results) perTx.set(r.txid, (perTx.get(r.txid) ?? 0) + 1)
    // Group commit on both stores: the first writes run alone (a group slot was free), those that
    // queued behind them share transactions, never more than MAX_GROUP in one.
    const alone = aloneOf(db)
    expect(Math.max(...perTx.values())).toBe(MAX_GROUP)
    expect(perTx.size).toBeLessThanOrEqual(alone + Math.ceil((n - alone) / MAX_GROUP))
  })

  it('batched writes that share a group share one call; each gets its own result, beside plain writes', async () => {
    const calls: number[][] = []
    const batch = insertMany(calls)
    const n = 100
    const results = await Promise.all(range(n).map((i) => (i % 10 === 9 ? db.write(insert(i)).then((r) => r.id) : db.writeBatched(batch, i))))
    expect(results).toEqual(range(n))
    expect(await rows(db)).toEqual(range(n))
    // The first `groups` writes ran alone; the rest came in few calls, up to a group's worth each.
    expect(calls.flat().sort((a, b) => a - b)).toEqual(range(n).filter((i) => i % 10 !== 9))
    expect(calls.length).toBeLessThanOrEqual(aloneOf(db) + Math.ceil(n / MAX_GROUP))
  })

  it('a lone write is not held back waiting for company', async () => {
    const { txid } = await db.write(insert(1))
    const { txid: next } = await db.write(insert(2))
    expect(next).not.toBe(txid)
    expect(await rows(db)).toEqual([1, 2])
  })

  it('PGlite: writes asked for in one event-loop turn share a transaction', async () => {
    if (db.kind !== 'pglite') return
    const first = db.write(insert(1))
    const second = db.write(insert(2))
    const [a, b] = await Promise.all([first, second])
    expect(b.txid).toBe(a.txid)
  })

  it('plain queries run while writes are queued, and see whole groups or nothing of them', async () => {
    const writes = Promise.all(range(100).map((i) => db.write(insert(i))))
    const [{ n }] = (await db.query<{ n: number }>('select count(*)::int as n from write_test')) as [{ n: number }]
    // Whole groups: `alone` groups of 1, then 64, then the rest; any of them may have committed.
    const alone = aloneOf(db)
    const sizes = [...Array<number>(alone).fill(1), MAX_GROUP, 100 - alone - MAX_GROUP]
    expect(subsetSums(sizes)).toContain(n)
    await writes
    expect((await rows(db)).length).toBe(100)
  })
})

// PostgreSQL only: on PGlite one group commits at a time, so two cannot cross.
describe.runIf(!!TEST_DATABASE_URL)('db.write on PostgreSQL: groups side by side', () => {
  let db: Db
  beforeAll(async () => {
    db = await postgresTestDb(TEST_DATABASE_URL!)
    await db.exec('create table write_test (id integer primary key)')
  })
  afterAll(() => db.close())
  beforeEach(() => db.exec('truncate write_test'))
  /** Writes that take every group slot, so that the writes made right after them share one group. */
  const fillSlots = () => range(groupsOf(db)).map((i) => db.write(insert(1000 + i)))

  // ---- failure paths first -------------------------------------------------------------------

  it('PostgreSQL: a write that keeps losing races fails alone, after one more run on its own; its group-mates commit once', async () => {
    const fillers = fillSlots()
    const runs = new Map<number, number>()
    const counted = (i: number) => (tx: Tx) => {
      runs.set(i, (runs.get(i) ?? 0) + 1)
      if (i === 2) throw lostRace()
      return insert(i)(tx)
    }
    const results = await Promise.allSettled(range(5).map((i) => db.write(counted(i))))
    await Promise.all(fillers)
    expect(reasonOf(results[2]!)).toMatchObject({ code: '40001' })
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1)
    // Write 2 ran in the group, in its savepoint, then alone; the group stopped at it, so those
    // before it ran twice and those after it once (in the savepoint rerun).
    expect(Object.fromEntries(runs)).toEqual({ 0: 2, 1: 2, 2: 3, 3: 1, 4: 1 })
    // All four in one transaction.
    expect(new Set(results.filter((r) => r.status === 'fulfilled').map((r) => (r.value as { txid: string }).txid)).size).toBe(1)
    expect((await rows(db)).filter((id) => id < 1000)).toEqual([0, 1, 3, 4])
  })

  it('PostgreSQL: a write that lost a race in a shared group runs again alone and succeeds', async () => {
    const fillers = fillSlots()
    let runs = 0
    const results = await Promise.all([
      db.write(insert(0)),
      db.write(async (tx) => {
        if (++runs < 3) throw lostRace()
        return insert(1)(tx)
      }),
      db.write(insert(2)),
    ])
    await Promise.all(fillers)
    expect(runs).toBe(3)
    expect(results.map((r) => r.id)).toEqual([0, 1, 2])
    // Its retry ran in a transaction of its own, after the group's.
    expect(results[1]!.txid).not.toBe(results[0]!.txid)
    expect(results[2]!.txid).toBe(results[0]!.txid)
    expect((await rows(db)).filter((id) => id < 1000)).toEqual([0, 1, 2])
  })

  it('PostgreSQL: a burst of slow writes leaves connections free for reads', async () => {
    let settled = 0
    // Each write holds its group's connection 20 ms: 100 of them, one connection each, would
    // fill the pool of 10 for 200 ms and queue every read behind them.
    const writes = range(100).map((i) =>
      db
        .write(async (tx) => {
          await tx.query('select pg_sleep(0.02)')
          return insert(i)(tx)
        })
        .finally(() => settled++),
    )
    await db.query('select 1')
    expect(settled).toBeLessThan(50)
    await Promise.all(writes)
    expect((await rows(db)).length).toBe(100)
  })

  // ---- normal paths ----------------------------------------------------------------------------

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
