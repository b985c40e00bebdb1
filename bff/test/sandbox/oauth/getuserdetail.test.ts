import { describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { authorizeUrl, hintPattern, redirectParams, setup } from '../helpers'

type T = ReturnType<typeof setup>

async function ticketFor(t: T, userid: string, consent: 'agree' | 'decline'): Promise<string> {
  const res = await t.get(authorizeUrl({ sandbox_userid: userid, scope: 'snsapi_privateinfo', sandbox_consent: consent }))
  const code = redirectParams(res).searchParams.get('code')!
  const info = await t.json(`/cgi-bin/auth/getuserinfo?access_token=${await t.token()}&code=${code}`)
  return info.user_ticket as string
}

async function detail(t: T, body: unknown, token?: string) {
  const res = await t.app.request(`/cgi-bin/auth/getuserdetail?access_token=${token ?? (await t.token())}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return (await res.json()) as Record<string, unknown> & { errcode: number; errmsg: string }
}

describe('sandbox snsapi_privateinfo consent page', () => {
  it('asks the member before handing out a code, and both answers go back with one', async () => {
    const t = setup()
    const page = await t.get(authorizeUrl({ sandbox_userid: 'lisi', scope: 'snsapi_privateinfo' }))
    expect(page.status).toBe(200)
    const text = await page.text()
    expect(text).toContain('申请获取以下信息')
    const links = [...text.matchAll(/href="([^"]+)" data-sandbox="consent-(agree|decline)"/g)].map((m) => [m[2], m[1]!.replace(/&amp;/g, '&')])
    expect(links.map(([k]) => k)).toEqual(['agree', 'decline'])
    for (const [, href] of links) {
      const back = redirectParams(await t.get(href!))
      expect(back.searchParams.get('code')).toMatch(/^[\w-]+$/)
      expect(back.searchParams.get('state')).toBe('st1')
    }
  })

  it('does not ask for snsapi_base', async () => {
    const t = setup()
    expect((await t.get(authorizeUrl({ sandbox_userid: 'lisi' }))).status).toBe(302)
  })
})

describe('sandbox auth/getuserdetail', () => {
  it('refuses GET, a non-JSON body and a missing ticket with 40058', async () => {
    const t = setup()
    const token = await t.token()
    expect((await t.json(`/cgi-bin/auth/getuserdetail?access_token=${token}`)).errcode).toBe(40058)
    expect((await detail(t, 'not json', token)).errcode).toBe(40058)
    expect((await detail(t, {}, token)).errcode).toBe(40058)
  })

  it('answers 84015 for a ticket it never issued and for the contact-sync secret', async () => {
    const t = setup()
    const ticket = await ticketFor(t, 'lisi', 'agree')
    const unknown = await detail(t, { user_ticket: 'not-a-ticket' })
    expect(unknown.errcode).toBe(84015)
    expect(unknown.errmsg).toMatch(hintPattern(84015))
    const contact = (await t.gettoken(SANDBOX_DEFAULTS.corpId, SANDBOX_DEFAULTS.contactSecret)).access_token as string
    expect((await detail(t, { user_ticket: ticket }, contact)).errcode).toBe(84015)
  })

  it('answers 84014 once the 1,800 s are over', async () => {
    const t = setup()
    const ticket = await ticketFor(t, 'lisi', 'agree')
    t.advance(1_800_000 - 1)
    expect((await detail(t, { user_ticket: ticket })).errcode).toBe(0)
    t.advance(1)
    expect((await detail(t, { user_ticket: ticket })).errcode).toBe(84014)
  })

  it('returns the private fields after agreement, gender as a string', async () => {
    const t = setup()
    const body = await detail(t, { user_ticket: await ticketFor(t, 'lisi', 'agree') })
    expect(body).toMatchObject({ errcode: 0, userid: 'lisi', gender: expect.stringMatching(/^[12]$/), mobile: expect.stringMatching(/^1\d{10}$/), email: 'lisi@xinghe-tech.com', address: expect.any(String) })
    expect(body.avatar).toMatch(/\/sandbox\/avatar\/lisi$/)
  })

  it('returns no private fields when the member declined', async () => {
    const t = setup()
    const body = await detail(t, { user_ticket: await ticketFor(t, 'lisi', 'decline') })
    expect(body).toMatchObject({ errcode: 0, userid: 'lisi', gender: '0' })
    for (const k of ['mobile', 'email', 'biz_mail', 'address']) expect(body).not.toHaveProperty(k)
  })

  it('answers 60011 when the member left the visible range after the ticket was issued', async () => {
    const t = setup()
    const ticket = await ticketFor(t, 'sunqi', 'agree')
    await t.send('POST', '/sandbox/admin/settings', { visibleRange: { departments: [3], users: [] } })
    expect((await detail(t, { user_ticket: ticket })).errcode).toBe(60011)
  })
})
