import { execFile } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { DatabaseUnavailableError } from '../../src/db/unavailable'
import { pgliteTestDb } from '../helpers/test-db'

// PGlite runs on a thread of its own (db/pglite-client.ts): what crosses must arrive as it would
// from an in-process PGlite: rows with their types, errors with their SQLSTATE fields,
// transactions that commit or roll back as a whole.
describe('PGlite on its own thread', () => {
  let db: Db
  beforeAll(async () => {
    db = await pgliteTestDb()
    await db.exec('create table thread_t (id int primary key, at timestamptz, tags text[], doc jsonb, raw bytea)')
  })
  afterAll(() => db.close())

  it('an error keeps its SQLSTATE and constraint, and the next call works', async () => {
    await db.query('insert into thread_t (id) values (1)')
    const e = await db.query('insert into thread_t (id) values (1)').catch((x: unknown) => x)
    expect(e).toBeInstanceOf(Error)
    expect(e).toMatchObject({ code: '23505', constraint: 'thread_t_pkey', message: expect.stringContaining('duplicate key') })
    expect(await db.query('select count(*)::int as n from thread_t')).toEqual([{ n: 1 }])
  })

  it('rows keep their types: dates, arrays, json, bytes', async () => {
    const at = new Date('2026-12-04T01:02:03.456Z')
    await db.query('insert into thread_t values (2, $1, $2, $3, $4)', [at, ['a', 'b'], JSON.stringify({ k: [1, 2] }), Buffer.from('hi')])
    const [row] = await db.query<{ at: Date; tags: string[]; doc: unknown; raw: Uint8Array }>('select at, tags, doc, raw from thread_t where id = 2')
    expect(row!.at).toBeInstanceOf(Date)
    expect(row!.at.getTime()).toBe(at.getTime())
    expect(row!.tags).toEqual(['a', 'b'])
    expect(row!.doc).toEqual({ k: [1, 2] })
    expect(Buffer.from(row!.raw).toString()).toBe('hi')
  })

  it('a transaction whose function throws leaves nothing, and the error is the function’s own', async () => {
    const boom = new Error('boom')
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into thread_t (id) values (3)')
        throw boom
      }),
    ).rejects.toBe(boom)
    expect(await db.query('select id from thread_t where id = 3')).toEqual([])
    await db.transaction((tx) => tx.query('insert into thread_t (id) values (4)'))
    expect(await db.query('select id from thread_t where id = 4')).toEqual([{ id: 4 }])
  })

  it('a query outside waits for an open transaction, as on one connection', async () => {
    const order: string[] = []
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const tx = db.transaction(async (t) => {
      await t.query('insert into thread_t (id) values (5)')
      await held
      order.push('commit')
    })
    await new Promise((r) => setTimeout(r, 20))
    const outside = db.query<{ n: number }>('select count(*)::int as n from thread_t where id = 5').then((r) => (order.push('read'), r))
    await new Promise((r) => setTimeout(r, 20))
    release()
    await tx
    expect(await outside).toEqual([{ n: 1 }])
    expect(order).toEqual(['commit', 'read'])
  })

  it('a parameter that cannot be sent fails that call alone', async () => {
    await expect(db.query('select $1::text', [() => 1])).rejects.toThrow()
    expect(await db.query('select 1 as one')).toEqual([{ one: 1 }])
  })

  it('calls after close fail rather than hang', async () => {
    const other = await pgliteTestDb()
    await other.close()
    const e = await other.query('select 1').catch((x: unknown) => x)
    // Out of reach, as a database that went away: the app answers 503, not 500.
    expect(e).toBeInstanceOf(DatabaseUnavailableError)
    expect(String(e)).toMatch(/ended/)
  })
})

describe('the thread does not keep a process alive', () => {
  it('a script that queries and never closes still exits', async () => {
    const script = `import { openPglite } from ${JSON.stringify(new URL('../../src/db/pglite.ts', import.meta.url).href)}
const db = await openPglite()
console.log(JSON.stringify(await db.query('select 41 + 1 as n')))`
    const started = Date.now()
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000, cwd: import.meta.dirname }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    )
    expect(out.trim()).toBe('[{"n":42}]')
    expect(Date.now() - started).toBeLessThan(60_000)
  }, 90_000)
})
