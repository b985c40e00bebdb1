import { describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { hintPattern, setup } from '../helpers'

const CORP = '/cgi-bin/get_jsapi_ticket'
const AGENT = '/cgi-bin/ticket/get'

async function withToken(t: ReturnType<typeof setup>) {
  const token = await t.token()
  return {
    corp: () => t.json(`${CORP}?access_token=${token}`),
    agent: (type = 'agent_config') => t.json(`${AGENT}?access_token=${token}&type=${type}`),
  }
}

describe('sandbox jsapi tickets: failures', () => {
  it('needs an access_token (41001), a valid one (40014), and the app type for ticket/get (40058)', async () => {
    const t = setup()
    expect((await t.json(CORP)).errcode).toBe(41001)
    expect((await t.json(`${AGENT}?access_token=nope&type=agent_config`)).errcode).toBe(40014)
    const api = await withToken(t)
    const wrongType = await api.agent('jsapi')
    expect(wrongType.errcode).toBe(40058)
    expect(wrongType.errmsg).toMatch(hintPattern(40058))
  })

  it("refuses the contact-sync secret's token: tickets belong to the app", async () => {
    const t = setup()
    const contact = (await t.gettoken(SANDBOX_DEFAULTS.corpId, SANDBOX_DEFAULTS.contactSecret)).access_token as string
    expect((await t.json(`${CORP}?access_token=${contact}`)).errcode).toBe(48002)
    expect((await t.json(`${AGENT}?access_token=${contact}&type=agent_config`)).errcode).toBe(48002)
  })

  it('get_jsapi_ticket: the 101st call within the hour gets 45009 (≤100 per app), counted in stats', async () => {
    const t = setup()
    const api = await withToken(t)
    for (let i = 0; i < 100; i++) expect((await api.corp()).errcode).toBe(0)
    const over = await api.corp()
    expect(over.errcode).toBe(45009)
    expect(over.errmsg).toMatch(/^api freq out of limit/)
    expect(over.errmsg).toMatch(hintPattern(45009))
    const stats = await t.json('/sandbox/admin/stats')
    expect(stats.calls).toMatchObject({ [CORP]: 101 })
    expect(stats.jsapiTickets).toMatchObject({
      corpTicketsIssued: 1,
      limited: 1,
      windows: { corpTicketPerApp: { count: 101, limit: 100 }, corpTicketPerCorp: { count: 101, limit: 400 } },
    })
    // The app ticket has its own budget.
    expect((await api.agent()).errcode).toBe(0)
  })

  it('ticket/get?type=agent_config: 45009 past 100 an hour; the block lifts when the hour is over', async () => {
    const t = setup()
    const api = await withToken(t)
    for (let i = 0; i < 100; i++) await api.agent()
    expect((await api.agent()).errcode).toBe(45009)
    t.advance(3_600_000)
    const token = await t.token() // the access_token itself expired meanwhile
    expect((await t.json(`${AGENT}?access_token=${token}&type=agent_config`)).errcode).toBe(0)
  })

  it('reset restores the budget and forgets the tickets', async () => {
    const t = setup()
    const api = await withToken(t)
    for (let i = 0; i < 101; i++) await api.corp()
    expect((await t.send('POST', '/sandbox/admin/reset')).status).toBe(200)
    expect((await t.json('/sandbox/admin/stats')).jsapiTickets).toEqual({ corpTicketsIssued: 0, agentTicketsIssued: 0, limited: 0, windows: {} })
    expect((await t.json('/sandbox/admin/tickets')).current).toEqual({ corp: null, agent_config: null })
    expect((await (await withToken(t)).corp()).errcode).toBe(0)
  })
})

describe('sandbox jsapi tickets: issuing', () => {
  it('answers like WeCom: ticket and expires_in 7200, the same ticket while valid with the time it has left', async () => {
    const t = setup()
    const api = await withToken(t)
    const first = await api.corp()
    expect(first).toEqual({ errcode: 0, errmsg: 'ok', ticket: expect.any(String), expires_in: 7200 })
    expect((first.ticket as string).length).toBeLessThanOrEqual(512)
    t.advance(1000 * 1000)
    const again = await api.corp()
    expect(again.ticket).toBe(first.ticket)
    expect(again.expires_in).toBe(6200)
  })

  it('corp and app tickets differ; a new one is issued after expiry', async () => {
    const t = setup()
    const api = await withToken(t)
    const corp = (await api.corp()).ticket
    const agent = (await api.agent()).ticket
    expect(agent).not.toBe(corp)
    t.advance(7200 * 1000)
    const token = await t.token()
    expect((await t.json(`${CORP}?access_token=${token}`)).ticket).not.toBe(corp)
  })

  it('GET /sandbox/admin/tickets shows what WeCom issued, for tests that check signatures', async () => {
    const t = setup()
    const api = await withToken(t)
    const corp = (await api.corp()).ticket
    const agent = (await api.agent()).ticket
    const view = await t.json('/sandbox/admin/tickets')
    expect(view.current).toMatchObject({ corp: { ticket: corp }, agent_config: { ticket: agent } })
    expect(view.issued).toHaveLength(2)
  })
})
