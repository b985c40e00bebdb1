import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest'
import { createHealthMarks } from '../../src/admin/marks'
import type { Db } from '../../src/db'
import { createLogger } from '../../src/log'
import { describeEachDb } from '../helpers/test-db'

describeEachDb('health marks', (open) => {
  let db: Db
  let now: number
  let writes: string[]
  let lines: string[]
  /** The database, counting the statements that write marks. */
  let counted: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db.close())
  beforeEach(async () => {
    await db.query('delete from health_marks')
    now = Date.UTC(2026, 10, 3, 9, 0, 0)
    writes = []
    lines = []
    counted = { ...db, query: (sql: string, params?: unknown[]) => (sql.startsWith('insert into health_marks') && writes.push(String(params?.[0])), db.query(sql, params)) } as Db
  })
  const marksOn = (d: Db, writeEveryMs = 5_000) => createHealthMarks({ db: d, now: () => now, log: createLogger({ write: (l) => lines.push(l) }), writeEveryMs })

  it('logs a failing write instead of throwing, and the caller never waits for it', async () => {
    const broken = { ...db, query: async () => Promise.reject(new Error('database is down')) } as unknown as Db
    const marks = marksOn(broken)
    expect(() => marks.record('callback_verified')).not.toThrow()
    await expect(marks.read()).rejects.toThrow('database is down')
    expect(lines.some((l) => l.includes('could not record a health mark') && l.includes('callback_verified'))).toBe(true)
  })

  it('writes one row per name per window, and the newest mark of a burst lands when the window ends', async () => {
    const marks = marksOn(counted, 40)
    marks.record('callback_failed', { reason: 'signature' })
    now += 1
    marks.record('callback_failed', { reason: 'decrypt' })
    now += 1
    marks.record('callback_failed', { reason: 'receiveid' })
    // The burst's last mark is stored when its 40 ms window ends: on a loaded machine, later. Read
    // as another instance would (from the table), waiting for the write to land, not to be sent.
    const stored = createHealthMarks({ db, now: () => now, log: createLogger({ write: () => {} }) })
    await vi.waitFor(async () => expect((await stored.read()).get('callback_failed')).toEqual({ at: new Date(now), detail: { reason: 'receiveid' } }), { timeout: 5_000, interval: 20 })
    expect(writes).toEqual(['callback_failed', 'callback_failed'])
  })

  it('reads what this process recorded at once, held marks included', async () => {
    const marks = marksOn(counted)
    marks.record('ip_rejected', { ip: '203.0.113.7', path: '/cgi-bin/user/get' })
    marks.record('ip_rejected', { ip: '203.0.113.8', path: '/cgi-bin/message/send' })
    const m = await marks.read()
    expect(m.get('ip_rejected')?.detail).toEqual({ ip: '203.0.113.8', path: '/cgi-bin/message/send' })
    expect(writes).toHaveLength(2)
  })

  it('never moves a mark back in time when another instance wrote a newer one', async () => {
    const a = marksOn(db)
    const b = marksOn(db)
    now += 10_000
    a.record('oauth_ok', { userid: 'lisi' })
    await a.read()
    now -= 5_000
    b.record('oauth_ok', { userid: 'late-writer' })
    const m = await b.read()
    expect(m.get('oauth_ok')?.detail).toEqual({ userid: 'lisi' })
  })

  it('keeps the latest of each name', async () => {
    const marks = marksOn(db)
    marks.record('callback_verified')
    now += 1000
    marks.record('callback_accepted')
    const m = await marks.read()
    expect([...m.keys()].sort()).toEqual(['callback_accepted', 'callback_verified'])
    expect(m.get('callback_accepted')!.at.getTime() - m.get('callback_verified')!.at.getTime()).toBe(1000)
  })
})
