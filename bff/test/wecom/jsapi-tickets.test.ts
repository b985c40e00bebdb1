import { describe, expect, it } from 'vitest'
import { createJsapiTickets, WeComError, WeComTransportError, type JsapiTicketsOptions } from '../../src/wecom'
import { caught } from './fake-wecom'
import { memoryTicketStore } from './memory-ticket-store'
import { ticketWeCom } from './ticket-wecom'

const T0 = 1_700_000_000_000

function setup(extra: Partial<JsapiTicketsOptions> = {}) {
  const wecom = ticketWeCom()
  const mem = memoryTicketStore()
  let clock = T0
  const tickets = createJsapiTickets({ client: wecom.client, store: mem.store, scope: 'wwcorp/1000002', now: () => clock, sleep: () => new Promise((r) => setTimeout(r, 1)), ...extra })
  return { wecom, mem, tickets, tick: (ms: number) => (clock += ms), now: () => clock }
}

describe('jsapi tickets: failures', () => {
  it('a WeCom error (42012, 45009…) rejects every waiter with that WeComError and caches nothing', async () => {
    const t = setup({ failureHoldMs: 0 })
    t.wecom.script(new WeComError({ errcode: 45009, errmsg: 'api freq out of limit', path: '/cgi-bin/get_jsapi_ticket' }))
    const held = t.wecom.hold()
    const waiters = Array.from({ length: 100 }, () => t.tickets.get('corp'))
    held.release()
    const results = await Promise.allSettled(waiters)
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof WeComError && r.reason.errcode === 45009)).toBe(true)
    expect(t.wecom.count('corp')).toBe(1)
    expect(t.mem.stats.releases).toBe(1) // the lease is handed back for the next try
    await expect(t.tickets.get('corp')).resolves.toBe('corp-ticket-1')
    expect(t.wecom.count('corp')).toBe(2)
  })

  it('after a failure, callers get the same error for a few seconds without another WeCom call', async () => {
    const t = setup({ failureHoldMs: 5_000 })
    t.wecom.script(new WeComError({ errcode: 42012, errmsg: 'jsapi_ticket not available', path: '/cgi-bin/ticket/get' }))
    const first = await caught(t.tickets.get('agent'))
    expect(first).toBeInstanceOf(WeComError)
    expect(await caught(t.tickets.get('agent'))).toBe(first)
    expect(t.wecom.count('agent')).toBe(1)
    t.tick(5_000)
    await expect(t.tickets.get('agent')).resolves.toMatch(/^agent-ticket-/)
    expect(t.wecom.count('agent')).toBe(2)
  })

  it('a failed early refresh keeps signing with the current ticket until it expires, retrying after the hold', async () => {
    const t = setup({ refreshBeforeMs: 5 * 60_000, failureHoldMs: 5_000 })
    await t.tickets.get('corp') // corp-ticket-1, good for 7200 s
    t.tick(7200_000 - 5 * 60_000)
    t.wecom.script(new WeComError({ errcode: 45009, errmsg: 'api freq out of limit', path: '/cgi-bin/get_jsapi_ticket' }))
    await expect(t.tickets.get('corp')).resolves.toBe('corp-ticket-1')
    await expect(t.tickets.get('corp')).resolves.toBe('corp-ticket-1')
    expect(t.wecom.count('corp')).toBe(2) // no retry inside the hold
    t.tick(5_000)
    await expect(t.tickets.get('corp')).resolves.toBe('corp-ticket-2')
    // Too close to expiry, the error is the answer: a dying ticket would fail in the client.
    t.tick(7200_000 - 30_000)
    t.wecom.script(new WeComError({ errcode: 45009, errmsg: 'api freq out of limit', path: '/cgi-bin/get_jsapi_ticket' }))
    expect(await caught(t.tickets.get('corp'))).toBeInstanceOf(WeComError)
  })

  it('an answer without a ticket is a transport error, not a blank ticket', async () => {
    const t = setup()
    t.wecom.script({ expires_in: 7200 })
    expect(await caught(t.tickets.get('corp'))).toBeInstanceOf(WeComTransportError)
  })

  it('waiting on another instance that never finishes gives up with a clear error', async () => {
    const t = setup()
    // Someone else holds a live lease and there is no old ticket to fall back on.
    await t.mem.store.claim('wwcorp/1000002/corp', 'other-instance', T0, 20_000)
    const slow = createJsapiTickets({ client: t.wecom.client, store: t.mem.store, scope: 'wwcorp/1000002', now: t.now, pollMs: 100, maxWaitMs: 1_000, sleep: async (ms) => void t.tick(ms) })
    const err = await caught(slow.get('corp'))
    expect(err).toBeInstanceOf(WeComTransportError)
    expect(String((err as Error).message)).toMatch(/another instance/)
    expect(t.wecom.count('corp')).toBe(0)
  })
})

describe('jsapi tickets: single flight, expiry, sharing', () => {
  it('1,000 concurrent callers on a cold cache cause exactly one fetch per kind', async () => {
    const t = setup()
    const held = t.wecom.hold()
    const corp = Array.from({ length: 1000 }, () => t.tickets.get('corp'))
    const agent = Array.from({ length: 1000 }, () => t.tickets.get('agent'))
    held.release()
    expect(new Set(await Promise.all(corp))).toEqual(new Set(['corp-ticket-1']))
    expect(new Set(await Promise.all(agent))).toEqual(new Set(['agent-ticket-2']))
    expect(t.wecom.count('corp')).toBe(1)
    expect(t.wecom.count('agent')).toBe(1)
    expect(t.wecom.calls.find((c) => c.path === '/cgi-bin/ticket/get')?.query).toEqual({ type: 'agent_config' })
  })

  it('serves from memory until shortly before expiry, then fetches once more', async () => {
    const t = setup({ refreshBeforeMs: 5 * 60_000 })
    await t.tickets.get('corp')
    t.tick(7200_000 - 5 * 60_000 - 1)
    await expect(t.tickets.get('corp')).resolves.toBe('corp-ticket-1')
    expect(t.mem.stats.claims).toBe(1) // memory only: no store round trip
    t.tick(1)
    await Promise.all(Array.from({ length: 50 }, () => t.tickets.get('corp')))
    await expect(t.tickets.get('corp')).resolves.toBe('corp-ticket-2')
    expect(t.wecom.count('corp')).toBe(2)
  })

  it("honours WeCom's expires_in, refreshing short-lived tickets at half their life", async () => {
    const t = setup()
    t.wecom.script({ ticket: 'short', expires_in: 60 })
    await t.tickets.get('corp')
    t.tick(29_999)
    await expect(t.tickets.get('corp')).resolves.toBe('short')
    t.tick(1)
    await expect(t.tickets.get('corp')).resolves.toBe('corp-ticket-1')
  })

  it('a second instance finds the ticket the first one stored, without fetching', async () => {
    const a = setup()
    const b = createJsapiTickets({ client: a.wecom.client, store: a.mem.store, scope: 'wwcorp/1000002', now: a.now })
    await expect(a.tickets.get('agent')).resolves.toBe('agent-ticket-1')
    await expect(b.get('agent')).resolves.toBe('agent-ticket-1')
    expect(a.wecom.count('agent')).toBe(1)
  })

  it('while another instance refreshes, the ticket it replaces is still handed out', async () => {
    const a = setup()
    await a.tickets.get('corp') // corp-ticket-1, stored
    a.tick(7200_000 - 4 * 60_000) // due for refresh, 4 minutes left
    await a.mem.store.claim('wwcorp/1000002/corp', 'other-instance', a.now(), 20_000)
    const b = createJsapiTickets({ client: a.wecom.client, store: a.mem.store, scope: 'wwcorp/1000002', now: a.now })
    await expect(b.get('corp')).resolves.toBe('corp-ticket-1')
    expect(a.wecom.count('corp')).toBe(1)
  })

  it('keys by scope: another app of the corp gets its own tickets', async () => {
    const t = setup()
    const other = createJsapiTickets({ client: t.wecom.client, store: t.mem.store, scope: 'wwcorp/1000003', now: t.now })
    await t.tickets.get('agent')
    await other.get('agent')
    expect(t.wecom.count('agent')).toBe(2)
  })
})
