import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { chunkPayloads, type Subscriber } from '../../src/db/change-feed'
import { pgliteTestDb, postgresTestDb, REQUIRE_ALL, TEST_DATABASE_URL } from '../helpers/test-db'

const until = async (what: string, ok: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

function recorder() {
  const got: string[] = []
  let gaps = 0
  const sub: Subscriber = { message: (p) => got.push(p), gap: () => gaps++ }
  return { sub, got, gaps: () => gaps }
}

describe('change feed payloads', () => {
  it('joins payloads by line and never makes a NOTIFY payload of 8,000 bytes or more', () => {
    expect(chunkPayloads([])).toEqual([])
    expect(chunkPayloads(['a', 'b'])).toEqual(['a\nb'])
    const many = Array.from({ length: 3_000 }, (_, i) => `member-${i}`)
    const chunks = chunkPayloads(many)
    expect(chunks.length).toBeGreaterThan(1)
    for (const c of chunks) expect(Buffer.byteLength(c)).toBeLessThan(8_000)
    expect(chunks.join('\n').split('\n')).toEqual(many)
  })
})

describe('change feed [PGlite]', () => {
  it('delivers to this process at once and is always live (one process owns the data directory)', async () => {
    const db = await pgliteTestDb()
    try {
      const r = recorder()
      const off = db.changes.subscribe('c', r.sub)
      expect(db.changes.live()).toBe(true)
      db.changes.publish('c', ['x', 'y'])
      db.changes.publish('other', ['z'])
      expect(r.got).toEqual(['x', 'y'])
      off()
      db.changes.publish('c', ['w'])
      expect(r.got).toEqual(['x', 'y'])
    } finally {
      await db.close()
    }
  })
})

if (!TEST_DATABASE_URL && !REQUIRE_ALL) console.warn('\n  !!! SKIPPED: "change feed [PostgreSQL]" — set TEST_DATABASE_URL to run it.\n')

describe.skipIf(!TEST_DATABASE_URL && !REQUIRE_ALL)('change feed [PostgreSQL]', () => {
  const channel = `feed_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`

  it('carries a change from one instance to another, batched, and says when it may have missed some', async () => {
    const a = await postgresTestDb(TEST_DATABASE_URL!)
    const b = await postgresTestDb(TEST_DATABASE_URL!)
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await admin.connect()
    try {
      const r = recorder()
      b.changes.subscribe(channel, r.sub)
      await until('b listening', () => b.changes.live())
      for (let i = 0; i < 500; i++) a.changes.publish(channel, [`m${i}`, 'same'])
      await until('all 501 payloads', () => new Set(r.got).size === 501)
      expect(r.gaps()).toBe(0)

      // The listening connection dies (a restarted server, a proxy timeout): b must not trust its caches.
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where query = $1`, [`listen "${channel}"`])
      await until('the gap', () => r.gaps() === 1)
      expect(b.changes.live()).toBe(false)
      // It listens again by itself, and hears what is published after that.
      await until('b listening again', () => b.changes.live(), 10_000)
      a.changes.publish(channel, ['after'])
      await until('the change after the gap', () => r.got.includes('after'))
    } finally {
      await admin.end()
      await Promise.all([a.close(), b.close()])
    }
  })

  it('sends what is queued before it closes', async () => {
    const a = await postgresTestDb(TEST_DATABASE_URL!)
    const b = await postgresTestDb(TEST_DATABASE_URL!)
    try {
      const r = recorder()
      b.changes.subscribe(`${channel}_close`, r.sub)
      await until('b listening', () => b.changes.live())
      a.changes.publish(`${channel}_close`, ['last'])
      await a.close()
      await until('the last change', () => r.got.includes('last'))
    } finally {
      await b.close()
    }
  })
})
