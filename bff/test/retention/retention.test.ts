import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { createLogger } from '../../src/log'
import { createRetention } from '../../src/retention'
import { describeEachDb, pgliteTestDb, postgresTestDb, REQUIRE_ALL, TEST_DATABASE_URL } from '../helpers/test-db'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 11, 4, 4, 37)
const ago = (days: number) => new Date(NOW - days * DAY)
const log = createLogger({ level: 'error', write: () => {} })
const TABLES = ['sessions', 'callback_events', 'outbox', 'card_events', 'sync_runs', 'todos']

describeEachDb('retention', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db.close())
  beforeEach(async () => {
    for (const t of TABLES) await db.query(`delete from ${t}`)
  })
  const retention = (o: { days?: number; batch?: number; pruned?: Record<string, number> } = {}) =>
    createRetention({ db, log, now: () => NOW, days: o.days ?? 90, batch: o.batch, onPruned: (t, n) => o.pruned && (o.pruned[t] = (o.pruned[t] ?? 0) + n) })
  const ids = async (sql: string) => (await db.query<{ id: string }>(sql)).map((r) => r.id).sort()

  const session = (id: string, absoluteEnd: Date) =>
    db.query(
      `insert into sessions (id_hash, userid, corp_id, entry_context, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
       values ($1, 'zhangsan', 'ww1', 'wecom-mobile', $2, $2, $2, $3)`,
      [id, new Date(absoluteEnd.getTime() - 7 * DAY), absoluteEnd],
    )
  const callback = (hash: string, received: Date, o: { applied?: boolean; attempts?: number }) =>
    db.query(
      `insert into callback_events (hash, received_at, msg_type, event, plaintext, applied_at, attempts) values ($1, $2, 'event', 'change_contact', '<xml/>', $3, $4)`,
      [hash, received, o.applied ? received : null, o.attempts ?? 0],
    )
  const todo = (id: string, status: string) =>
    db.query(
      `insert into todos (id, assignee, source, origin, ref, title, link, status, created_at, updated_at)
       values ($1, 'zhangsan', 'host', 'oa', $1, 't', 'https://oa.example.com', $2, $3, $3)`,
      [id, status, ago(120)],
    )
  /** An outbox row; returns its id. */
  const message = async (key: string, created: Date, o: { status?: string; card?: string; todo?: string; cardOf?: string; codeAt?: Date } = {}) => {
    const [row] = await db.query<{ id: string }>(
      `insert into outbox (dedupe_key, userid, message, status, next_attempt_at, created_at, kind, card_of, task_id, response_code_at, ref_kind, ref_id)
       values ($1, 'zhangsan', '{}', $2, $3, $3, $4, $5, $6, $7, $8, $9) returning id::text as id`,
      [key, o.status ?? 'sent', created, o.cardOf ? 'update' : 'send', o.cardOf ?? null, o.card ?? null, o.codeAt ?? null, o.todo ? 'todo' : null, o.todo ?? null],
    )
    return row!.id
  }
  const run = (started: Date, status: string) =>
    db.query(`insert into sync_runs (kind, trigger, status, started_at, finished_at) values ('full', 'cron', $1, $2, $2) returning id`, [status, started])

  it('deletes each table\'s rows past their use and keeps what is still needed, whatever its age', async () => {
    await session('ended-long-ago', ago(91))
    await session('ended-lately', ago(10))
    await session('live', ago(-3))

    await callback('applied-old', ago(100), { applied: true })
    await callback('parked-old', ago(100), { attempts: 5 })
    await callback('failing-old', ago(100), { attempts: 2 })
    await callback('applied-new', ago(5), { applied: true })

    await todo('t-pending', 'pending')
    await todo('t-done', 'done')
    const plainOld = await message('plain-old', ago(100))
    const failedOld = await message('failed-old', ago(100), { status: 'failed' })
    const pendingOld = await message('pending-old', ago(100), { status: 'pending' })
    const cardOfPending = await message('card-pending-todo', ago(100), { card: 'task-1', todo: 't-pending' })
    const cardOfDone = await message('card-done-todo', ago(100), { card: 'task-2', todo: 't-done' })
    const updateOfDone = await message('update-done', ago(99), { cardOf: cardOfDone })
    const cardTapped = await message('card-tapped', ago(100), { card: 'task-3', todo: 't-done', codeAt: ago(1) })
    const cardAwaitingUpdate = await message('card-awaiting-update', ago(100), { card: 'task-4', todo: 't-done' })
    const updatePending = await message('update-pending', ago(98), { cardOf: cardAwaitingUpdate, status: 'pending' })
    const updateOfKept = await message('update-kept-card', ago(98), { cardOf: cardOfPending })
    const plainNew = await message('plain-new', ago(3))

    await db.query(`insert into card_events (task_id, userid, event_key, card_type, at) values ('task-1', 'zhangsan', 'k', 'button_interaction', $1), ('task-1', 'zhangsan', 'k', 'button_interaction', $2)`, [ago(100), ago(1)])

    // 25 runs, all old: the oldest failed, then the only success, then 23 failures.
    await run(ago(130), 'failed')
    await run(ago(129), 'succeeded')
    for (let i = 0; i < 23; i++) await run(ago(128 - i), 'failed')
    const runIds = (await db.query<{ id: number }>('select id from sync_runs order by id')).map((r) => Number(r.id))

    const pruned: Record<string, number> = {}
    const result = await retention({ pruned }).run()

    expect(result).toEqual({ sessions: 1, callback_events: 2, outbox: 4, card_events: 1, sync_runs: 4 })
    expect(pruned).toEqual({ sessions: 1, callback_events: 2, outbox: 4, card_events: 1, sync_runs: 4 })
    expect(await ids('select id_hash as id from sessions')).toEqual(['ended-lately', 'live'])
    expect(await ids('select hash as id from callback_events')).toEqual(['applied-new', 'failing-old'])
    expect(await ids('select id::text as id from outbox')).toEqual([pendingOld, cardOfPending, cardTapped, cardAwaitingUpdate, updatePending, updateOfKept, plainNew].sort())
    expect([plainOld, failedOld, cardOfDone, updateOfDone].every(Boolean)).toBe(true)
    expect((await db.query<{ at: Date }>('select at from card_events')).map((r) => new Date(r.at).getTime())).toEqual([ago(1).getTime()])
    // Kept: the latest success (2nd) and the latest 20 (6th–25th).
    expect((await db.query<{ id: number }>('select id from sync_runs order by id')).map((r) => Number(r.id))).toEqual([runIds[1], ...runIds.slice(5)])
    expect(await db.query('select 1 from todos')).toHaveLength(2)

    // A second run finds nothing more to do.
    expect(await retention().run()).toEqual({ sessions: 0, callback_events: 0, outbox: 0, card_events: 0, sync_runs: 0 })
  })

  it('an update row goes only once its card has gone (a card is updated once), in the same run', async () => {
    await todo('t-done', 'done')
    const card = await message('card', ago(100), { card: 'task-9', todo: 't-done' })
    await message('update', ago(99), { cardOf: card })
    // The card goes in the first statement, its update in the next: the run goes on until one finds nothing.
    const statements: string[] = []
    const count = (q: Pick<Db, 'query'>): Db['query'] => (sql, p) => (sql.includes('delete from outbox') && statements.push(sql), q.query(sql, p))
    // On PostgreSQL each statement runs in a transaction of its own (with the lock).
    const counting = { ...db, query: count(db), transaction: (fn) => db.transaction((tx) => fn({ ...tx, query: count(tx) })) } as Db
    expect(await createRetention({ db: counting, log, now: () => NOW, days: 90 }).run()).toMatchObject({ outbox: 2 })
    expect(statements).toHaveLength(3)
    expect(await ids('select id::text as id from outbox')).toEqual([])
  })

  it('deletes in batches until nothing is left, and a stop ends the run between batches', async () => {
    for (let i = 0; i < 10; i++) await session(`old-${i}`, ago(100 + i))
    expect(await retention({ batch: 3 }).run()).toMatchObject({ sessions: 10 })
    expect(await db.query('select 1 from sessions')).toHaveLength(0)

    for (let i = 0; i < 10; i++) await session(`old-${i}`, ago(100 + i))
    const r = retention({ batch: 3 })
    const running = r.run()
    await r.stop()
    const stopped = await running
    expect(stopped).not.toBe('busy')
    const left = (await db.query('select 1 from sessions')).length
    expect(left).toBeGreaterThan(0)
    expect(left).toBe(10 - (stopped as Record<string, number>).sessions!)
    // The next run goes on where that one stopped.
    expect(await retention({ batch: 3 }).run()).toMatchObject({ sessions: left })
  })

  it('rows kept among rows to delete: every batch starts after the last row deleted, and each row is judged right', async () => {
    await todo('t-open', 'pending')
    const kept: string[] = []
    const gone: string[] = []
    for (let i = 0; i < 6; i++) {
      kept.push(await message(`card-${i}`, ago(100), { card: `task-k${i}`, todo: 't-open' }))
      gone.push(await message(`plain-${i}`, ago(100)))
    }
    const statements: unknown[][] = []
    const count = (q: Pick<Db, 'query'>): Db['query'] => (sql, p) => (sql.includes('delete from outbox') && statements.push(p ?? []), q.query(sql, p))
    const counting = { ...db, query: count(db), transaction: (fn) => db.transaction((tx) => fn({ ...tx, query: count(tx) })) } as Db
    expect(await createRetention({ db: counting, log, now: () => NOW, days: 90, batch: 2 }).run()).toMatchObject({ outbox: 6 })
    expect(await ids('select id::text as id from outbox')).toEqual([...kept].sort())
    // Three batches of two, then one that finds nothing; each after the first starts past the last row deleted before it.
    expect(statements).toHaveLength(4)
    const last = (n: number) => String(Math.max(...gone.slice(0, n).map(Number)))
    expect(statements.slice(1).map((p, i) => p.includes(last(2 * (i + 1))))).toEqual([true, true, true])
    expect(statements[0]!.some((p) => gone.includes(String(p)) || kept.includes(String(p)))).toBe(false)
  })

  it('RETENTION_DAYS=0 keeps everything', async () => {
    await session('ended-long-ago', ago(3000))
    await callback('applied-old', ago(3000), { applied: true })
    const r = retention({ days: 0 })
    expect(await r.run()).toBe('off')
    r.start()
    await r.stop()
    expect(await db.query('select 1 from sessions')).toHaveLength(1)
    expect(await db.query('select 1 from callback_events')).toHaveLength(1)
  })

  it('two at once on one database: one runs, the other is told busy', async () => {
    for (let i = 0; i < 5; i++) await session(`old-${i}`, ago(100 + i))
    const results = await Promise.all([retention({ batch: 1 }).run(), retention({ batch: 1 }).run()])
    expect(results.filter((x) => x === 'busy')).toHaveLength(1)
    expect(results.find((x) => x !== 'busy')).toMatchObject({ sessions: 5 })
  })
})

describe.skipIf(!TEST_DATABASE_URL && !REQUIRE_ALL)('retention across instances [PostgreSQL]', () => {
  it('waits for nobody: while another instance holds the lock, a run is told busy and deletes nothing; then it runs', async () => {
    const db = await postgresTestDb(TEST_DATABASE_URL!)
    try {
      await db.query(
        `insert into sessions (id_hash, userid, corp_id, entry_context, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
         values ('old', 'zhangsan', 'ww1', 'browser', $1, $1, $1, $1)`,
        [ago(100)],
      )
      const r = createRetention({ db, log, now: () => NOW, days: 90 })
      // Another instance's statement: the lock is held by its transaction, on another connection.
      const held = await db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock(4242004, hashtext(current_schema()))')
        return r.run()
      })
      expect(held).toBe('busy')
      expect(await db.query('select 1 from sessions')).toHaveLength(1)
      expect(await r.run()).toMatchObject({ sessions: 1 })
    } finally {
      await db.close()
    }
  })
})

describe('PGlite, which runs no autovacuum: the run vacuums and analyzes every table', () => {
  const sessions = (db: Db, prefix: string, end: Date) =>
    db.query(
      `insert into sessions (id_hash, userid, corp_id, entry_context, user_agent, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
       select $1 || g, 'zhangsan', 'ww1', 'browser', repeat('u', 300), $2, $2, $2, $2 from generate_series(1, 3000) g`,
      [prefix, end],
    )
  const size = async (db: Db) => Number((await db.query<{ n: string }>(`select pg_relation_size('sessions')::text as n`))[0]!.n)

  it('the space of deleted rows is used again, and the planner knows the tables', async () => {
    const db = await pgliteTestDb()
    try {
      await sessions(db, 'old-', ago(100))
      const full = await size(db)
      expect(await createRetention({ db, log, now: () => NOW, days: 90 }).run()).toMatchObject({ sessions: 3000 })
      await sessions(db, 'live-', ago(-3))
      // Without the vacuum the new rows went to new pages: the table grew to about twice this.
      expect(await size(db)).toBeLessThanOrEqual(full)
      const [stats] = await db.query<{ reltuples: number }>(`select reltuples from pg_class where relname = 'sessions'`)
      expect(stats!.reltuples).toBeGreaterThanOrEqual(0)
    } finally {
      await db.close()
    }
  })

  it('RETENTION_DAYS=0 prunes nothing and still vacuums', async () => {
    const db = await pgliteTestDb()
    try {
      await sessions(db, 'old-', ago(100))
      await db.query(`delete from sessions`)
      expect(await createRetention({ db, log, now: () => NOW, days: 0 }).run()).toBe('off')
      const [stats] = await db.query<{ reltuples: number }>(`select reltuples from pg_class where relname = 'sessions'`)
      expect(stats!.reltuples).toBe(0)
    } finally {
      await db.close()
    }
  })
})
