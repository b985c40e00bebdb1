import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { createDbTicketStore } from '../../src/jssdk/ticket-store'
import { createJsapiTickets } from '../../src/wecom'
import { describeEachDb } from '../helpers/test-db'
import { ticketWeCom } from '../wecom/ticket-wecom'

const T0 = Date.UTC(2026, 10, 1, 8, 0, 0)
const ticket = (name: string, at = T0) => ({ ticket: name, expiresAt: at + 7_200_000, refreshAt: at + 6_900_000 })

describeEachDb('jsapi tickets in the database', (open) => {
  // One database for the suite (opening one is the slow part); each test has keys of its own.
  let db: Db
  let n = 0
  let KEY = ''
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db.close())
  beforeEach(() => {
    KEY = `wwcorp/${++n}/corp`
  })

  it('a live lease keeps other instances from fetching; the holder may re-claim', async () => {
    const store = createDbTicketStore(db)
    expect(await store.claim(KEY, 'a', T0, 20_000)).toEqual({ state: 'claimed' })
    expect(await store.claim(KEY, 'b', T0 + 19_999, 20_000)).toEqual({ state: 'busy', leaseUntil: T0 + 20_000 })
    expect(await store.claim(KEY, 'a', T0 + 1, 20_000)).toEqual({ state: 'claimed' })
  })

  it('a lease that ran out (crashed fetcher) is taken over', async () => {
    const store = createDbTicketStore(db)
    await store.claim(KEY, 'a', T0, 20_000)
    expect(await store.claim(KEY, 'b', T0 + 20_000, 20_000)).toEqual({ state: 'claimed' })
  })

  it('a released lease (failed fetch) lets the next instance try at once', async () => {
    const store = createDbTicketStore(db)
    await store.claim(KEY, 'a', T0, 20_000)
    await store.release(KEY, 'b') // not b's to release
    expect((await store.claim(KEY, 'c', T0, 20_000)).state).toBe('busy')
    await store.release(KEY, 'a')
    expect(await store.claim(KEY, 'c', T0, 20_000)).toEqual({ state: 'claimed' })
  })

  it('a saved ticket is fresh for everyone until its refresh time, then due again with the old one attached', async () => {
    const store = createDbTicketStore(db)
    await store.claim(KEY, 'a', T0, 20_000)
    await store.save(KEY, 'a', ticket('T1'))
    expect(await store.claim(KEY, 'b', T0 + 6_899_999, 20_000)).toEqual({ state: 'fresh', ticket: ticket('T1') })
    expect(await store.claim(KEY, 'b', T0 + 6_900_000, 20_000)).toEqual({ state: 'claimed', ticket: ticket('T1') })
    expect(await store.claim(KEY, 'a', T0 + 6_900_001, 20_000)).toEqual({ state: 'busy', ticket: ticket('T1'), leaseUntil: T0 + 6_920_000 })
  })

  it("saving after one's lease ran out stores the ticket but leaves the new holder's lease alone", async () => {
    const store = createDbTicketStore(db)
    await store.claim(KEY, 'a', T0, 20_000)
    await store.claim(KEY, 'b', T0 + 30_000, 20_000)
    await store.save(KEY, 'a', ticket('late', T0 + 30_000))
    const rows = await db.query<{ ticket: string; lease_owner: string }>('select ticket, lease_owner from jsapi_tickets where key = $1', [KEY])
    expect(rows).toEqual([{ ticket: 'late', lease_owner: 'b' }])
  })

  it('two instances (two caches over one database) share one fetched ticket, even when asking at once', async () => {
    const wecom = ticketWeCom()
    const make = () =>
      createJsapiTickets({ client: wecom.client, store: createDbTicketStore(db), scope: KEY.replace(/\/corp$/, ''), now: () => T0, pollMs: 5 })
    const [a, b] = [make(), make()]
    const held = wecom.hold()
    const asking = [...Array.from({ length: 200 }, () => a.get('corp')), ...Array.from({ length: 200 }, () => b.get('corp'))]
    // Let both instances reach the store before WeCom answers.
    await new Promise((r) => setTimeout(r, 50))
    held.release()
    expect(new Set(await Promise.all(asking))).toEqual(new Set(['corp-ticket-1']))
    expect(wecom.count('corp')).toBe(1)
    // A third instance started later reads it from the database.
    await expect(make().get('corp')).resolves.toBe('corp-ticket-1')
    expect(wecom.count('corp')).toBe(1)
  })
})
