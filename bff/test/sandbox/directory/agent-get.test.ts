import { describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { contactToken } from './helpers'
import { hintPattern, setup } from '../helpers'

const agentGet = (token: string, agentid?: string) => `/cgi-bin/agent/get?access_token=${token}${agentid === undefined ? '' : `&agentid=${agentid}`}`

describe('sandbox agent/get (获取指定的应用详情)', () => {
  it('refuses another app, the contact-sync token, a malformed or a missing agentid', async () => {
    const t = setup()
    const token = await t.token()
    const foreign = await t.json(agentGet(token, '1000003'))
    expect(foreign.errcode).toBe(301002)
    expect(foreign.errmsg).toMatch(/^not allow operate another agent/)
    expect(foreign.errmsg).toMatch(hintPattern(301002))
    expect((await t.json(agentGet(await contactToken(t), SANDBOX_DEFAULTS.agentId))).errcode).toBe(301002)
    expect((await t.json(agentGet(token, 'abc'))).errcode).toBe(40056)
    expect((await t.json(agentGet(token))).errcode).toBe(41011)
  })

  it('needs a valid access_token like every cgi-bin API', async () => {
    const t = setup()
    expect((await t.json(agentGet('nope', SANDBOX_DEFAULTS.agentId))).errcode).toBe(40014)
  })

  it("answers the app's details with its visible range, shaped as WeCom documents", async () => {
    const t = setup({ visibleRange: { departments: [2, 7], users: ['WuJiu'] }, appUrl: 'http://localhost:3000' })
    const body = await t.json(agentGet(await t.token(), SANDBOX_DEFAULTS.agentId))
    expect(body).toMatchObject({
      errcode: 0,
      errmsg: 'ok',
      agentid: Number(SANDBOX_DEFAULTS.agentId),
      name: expect.any(String),
      square_logo_url: expect.stringMatching(/^http/),
      description: expect.any(String),
      allow_userinfos: { user: [{ userid: 'wujiu' }] },
      allow_partys: { partyid: [2, 7] },
      allow_tags: { tagid: [] },
      close: 0,
      redirect_domain: 'localhost:3000',
      report_location_flag: 0,
      isreportenter: 0,
      home_url: 'http://localhost:3000',
    })
  })

  it('follows a visible range changed through the admin API', async () => {
    const t = setup()
    const token = await t.token()
    expect((await t.json(agentGet(token, SANDBOX_DEFAULTS.agentId))).allow_partys).toEqual({ partyid: [1] })
    await t.send('POST', '/sandbox/admin/settings', { visibleRange: { departments: [19], users: ['zhangsan'] } })
    const body = await t.json(agentGet(token, SANDBOX_DEFAULTS.agentId))
    expect(body.allow_partys).toEqual({ partyid: [19] })
    expect(body.allow_userinfos).toEqual({ user: [{ userid: 'zhangsan' }] })
  })
})
