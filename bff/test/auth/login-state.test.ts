import { afterAll, beforeAll, expect, it } from 'vitest'
import { consumeLoginState, createLoginState, STATE_TTL_MS } from '../../src/auth/login-state'
import type { Db } from '../../src/db'
import { describeEachDb } from '../helpers/test-db'

const SECRET = 's'.repeat(32)
const T0 = Date.UTC(2026, 10, 21, 8)

describeEachDb('login state', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db.close())

  const make = (browserId = 'browser-a', now = T0) => createLoginState(db, SECRET, { browserId, returnTo: '/me?tab=session', now })

  it('rejects malformed and tampered states', async () => {
    const state = await make()
    expect(await consumeLoginState(db, SECRET, { state: 'abc', browserId: 'browser-a', now: T0 })).toEqual({ ok: false, why: 'malformed' })
    const flipped = state.slice(0, 40) + (state[40] === 'a' ? 'b' : 'a') + state.slice(41)
    expect(await consumeLoginState(db, SECRET, { state: flipped, browserId: 'browser-a', now: T0 })).toEqual({ ok: false, why: 'bad_signature' })
    expect(await consumeLoginState(db, 'x'.repeat(32), { state, browserId: 'browser-a', now: T0 })).toEqual({ ok: false, why: 'bad_signature' })
  })

  it('binds the state to the browser that asked for it', async () => {
    const state = await make('browser-a')
    expect(await consumeLoginState(db, SECRET, { state, browserId: 'browser-b', now: T0 })).toEqual({ ok: false, why: 'other_browser' })
    const state2 = await make('browser-a')
    expect(await consumeLoginState(db, SECRET, { state: state2, browserId: undefined, now: T0 })).toEqual({ ok: false, why: 'other_browser' })
  })

  it('expires after 10 minutes', async () => {
    const state = await make('browser-a', T0)
    expect(await consumeLoginState(db, SECRET, { state, browserId: 'browser-a', now: T0 + STATE_TTL_MS + 1 })).toEqual({ ok: false, why: 'expired' })
  })

  it('is single-use, even under a race', async () => {
    const state = await make()
    const results = await Promise.all(Array.from({ length: 5 }, () => consumeLoginState(db, SECRET, { state, browserId: 'browser-a', now: T0 + 1000 })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.why)).toEqual(['used', 'used', 'used', 'used'])
  })

  it('fits WeCom state rules and carries returnTo and retry', async () => {
    const state = await createLoginState(db, SECRET, { browserId: 'b', returnTo: '/x?y=1', retry: 1, now: T0 })
    expect(state).toMatch(/^[a-zA-Z0-9]{1,128}$/)
    expect(await consumeLoginState(db, SECRET, { state, browserId: 'b', now: T0 + STATE_TTL_MS - 1 })).toEqual({ ok: true, returnTo: '/x?y=1', retry: 1 })
  })

  it('carries the member a consent sign-in belongs to, and only for that kind of sign-in', async () => {
    const consent = await createLoginState(db, SECRET, { browserId: 'b', returnTo: '/me', consentFor: 'lisi', now: T0 })
    expect(await consumeLoginState(db, SECRET, { state: consent, browserId: 'b', now: T0 })).toEqual({ ok: true, returnTo: '/me', retry: 0, consentFor: 'lisi' })
    const plain = await createLoginState(db, SECRET, { browserId: 'b', returnTo: '/me', now: T0 })
    expect(await consumeLoginState(db, SECRET, { state: plain, browserId: 'b', now: T0 })).not.toHaveProperty('consentFor')
  })
})
