import { afterAll, beforeAll, expect, it } from 'vitest'
import { PrincipalCache } from '../../src/auth/principal-cache'
import { createSession, endMembersSessions, loadSession, revokeSession } from '../../src/auth/sessions'
import { sha256 } from '../../src/auth/tokens'
import type { Db } from '../../src/db'
import { describeEachDb } from '../helpers/test-db'

const H = 3_600_000
const policy = { idleMs: 8 * H, absoluteMs: 7 * 24 * H }
const T0 = Date.UTC(2026, 10, 21, 8)
const base = { corpId: 'ww1', entryContext: 'browser' as const, userAgent: 'ua' }

describeEachDb('sessions', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db.close())

  it('does not know unknown ids and stores only a hash of the id', async () => {
    expect(await loadSession(db, policy, 'nope', T0)).toBeNull()
    const { id } = await createSession(db, policy, { ...base, userid: 'u-hash', now: T0 })
    const rows = await db.query<{ id_hash: string }>("select id_hash from sessions where userid = 'u-hash'")
    expect(rows[0]!.id_hash).toBe(sha256(id))
    expect(JSON.stringify(rows)).not.toContain(id)
  })

  it('expires after the idle timeout without use', async () => {
    const { id } = await createSession(db, policy, { ...base, userid: 'u-idle', now: T0 })
    expect(await loadSession(db, policy, id, T0 + 8 * H)).toBeNull()
  })

  it('slides the idle expiry with use but never past the absolute expiry', async () => {
    const { id } = await createSession(db, policy, { ...base, userid: 'u-slide', now: T0 })
    let t = T0
    for (let i = 0; i < 24; i++) {
      t += 7 * H
      const s = await loadSession(db, policy, id, t)
      if (t >= T0 + 7 * 24 * H) expect(s).toBeNull()
      else expect(s?.userid).toBe('u-slide')
    }
    expect(await loadSession(db, policy, id, T0 + 7 * 24 * H)).toBeNull()
  })

  it('revokes one session or all of a member', async () => {
    const a = await createSession(db, policy, { ...base, userid: 'u-rev', now: T0 })
    const b = await createSession(db, policy, { ...base, userid: 'u-rev', now: T0 })
    await revokeSession(db, a.id, 'signed_out', T0)
    expect(await loadSession(db, policy, a.id, T0 + 1)).toBeNull()
    expect(await loadSession(db, policy, b.id, T0 + 1)).not.toBeNull()
    expect(await endMembersSessions({ db, principals: new PrincipalCache(), now: () => T0 }, ['u-rev'])).toBe(1)
    expect(await loadSession(db, policy, b.id, T0 + 1)).toBeNull()
  })
})
