import { describe, expect, it } from 'vitest'
import { createTokenCache, createWeComClient, WeComError, WeComTransportError } from '../../src/wecom'
import { CORP_ID, SECRET, fakeWeCom } from './fake-wecom'

const API = 'https://qyapi.weixin.qq.com'

function setup(extra: { apiBase?: string; proxyUrl?: string } = {}) {
  const wecom = fakeWeCom()
  const client = createWeComClient({
    apiBase: extra.apiBase ?? API,
    corpId: CORP_ID,
    secret: SECRET,
    tokens: createTokenCache(),
    fetch: wecom.fetch,
    proxyUrl: extra.proxyUrl,
  })
  return { wecom, client }
}

describe('getUserIdentity (cgi-bin/auth/getuserinfo)', () => {
  it('spent or expired code → WeComError 40029', async () => {
    const { client } = setup()
    await expect(client.getUserIdentity('spent')).rejects.toMatchObject({ errcode: 40029, path: '/cgi-bin/auth/getuserinfo' })
  })

  it('an answer with neither userid nor openid is a transport error', async () => {
    const { wecom, client } = setup()
    wecom.script('/cgi-bin/auth/getuserinfo', { errcode: 0, errmsg: 'ok' })
    await expect(client.getUserIdentity('x')).rejects.toBeInstanceOf(WeComTransportError)
  })

  it('member with user_ticket', async () => {
    const { wecom, client } = setup()
    await expect(client.getUserIdentity('member-code')).resolves.toEqual({ kind: 'member', userid: 'zhangsan', userTicket: 'TICKET' })
    const call = wecom.calls.find((c) => c.path === '/cgi-bin/auth/getuserinfo')
    expect(call?.method).toBe('GET')
    expect(call?.query.code).toBe('member-code')
    expect(call?.query.access_token).toBe(wecom.issued[0])
  })

  it('member without user_ticket (snsapi_base)', async () => {
    const { client } = setup()
    await expect(client.getUserIdentity('base-code')).resolves.toEqual({ kind: 'member', userid: 'lisi' })
  })

  it('non-member with and without external_userid', async () => {
    const { client } = setup()
    await expect(client.getUserIdentity('guest-code')).resolves.toEqual({ kind: 'non-member', openid: 'oOPENID', externalUserid: 'wmEXT' })
    await expect(client.getUserIdentity('guest-plain')).resolves.toEqual({ kind: 'non-member', openid: 'oOPENID2' })
  })
})

describe('getUserDetail (cgi-bin/auth/getuserdetail)', () => {
  it('POSTs the ticket in the body and keeps only the fields WeCom sent', async () => {
    const { wecom, client } = setup()
    wecom.script('/cgi-bin/auth/getuserdetail', { errcode: 0, errmsg: 'ok', userid: 'lisi', gender: '2', mobile: '13800000000', email: '', address: '广州' })
    await expect(client.getUserDetail('TICKET')).resolves.toEqual({ userid: 'lisi', gender: '2', mobile: '13800000000', address: '广州' })
    const call = wecom.calls.find((c) => c.path === '/cgi-bin/auth/getuserdetail')
    expect(call?.method).toBe('POST')
    expect(call?.body).toEqual({ user_ticket: 'TICKET' })
    expect(call?.query).not.toHaveProperty('user_ticket')
  })

  it('an expired ticket → WeComError 84014 with what to do', async () => {
    const { wecom, client } = setup()
    wecom.script('/cgi-bin/auth/getuserdetail', { errcode: 84014, errmsg: 'user ticket expired' })
    await expect(client.getUserDetail('OLD')).rejects.toMatchObject({ errcode: 84014, hint: expect.stringMatching(/consent again/) })
  })

  it('an answer without userid is a transport error', async () => {
    const { wecom, client } = setup()
    wecom.script('/cgi-bin/auth/getuserdetail', { errcode: 0, errmsg: 'ok' })
    await expect(client.getUserDetail('x')).rejects.toBeInstanceOf(WeComTransportError)
  })
})

describe('getUser / getDepartment', () => {
  it('out of visible range → WeComError 60011 with hint', async () => {
    const { client } = setup()
    const err = await client.getDepartment(99).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WeComError)
    expect(err).toMatchObject({ errcode: 60011, hint: expect.stringMatching(/visible range/) })
  })

  it('getUser returns the member without errcode/errmsg', async () => {
    const { client } = setup()
    const user = await client.getUser('zhangsan')
    expect(user).toMatchObject({ userid: 'zhangsan', name: '张三', department: [1, 2], status: 1, main_department: 1 })
    expect(user).not.toHaveProperty('errcode')
    expect(user).not.toHaveProperty('errmsg')
    expect(user.mobile).toBeUndefined() // 2022 rules: not returned to new self-built apps
  })

  it('getDepartment unwraps .department', async () => {
    const { client } = setup()
    await expect(client.getDepartment(2)).resolves.toEqual({
      id: 2, name: '广州研发中心', name_en: 'RDGZ', department_leader: ['zhangsan'], parentid: 1, order: 10,
    })
  })
})

describe('get / post plumbing', () => {
  it('rejects paths that carry a query (it belongs in `query`)', async () => {
    const { client } = setup()
    await expect(client.get('/cgi-bin/user/get?userid=a')).rejects.toBeInstanceOf(TypeError)
    await expect(client.get('cgi-bin/user/get')).rejects.toBeInstanceOf(TypeError)
  })

  it('post sends JSON with the token in the query; undefined query values are dropped', async () => {
    const { wecom, client } = setup()
    const res = await client.post<{ echo: unknown }>('/cgi-bin/user/list_id', { cursor: '', limit: 10000 }, { debug: undefined, x: 1 })
    expect(res.echo).toEqual({ cursor: '', limit: 10000 })
    const call = wecom.calls.find((c) => c.path === '/cgi-bin/user/list_id')!
    expect(call.method).toBe('POST')
    expect(call.query).toEqual({ access_token: wecom.issued[0], x: '1' })
    expect(new Headers(call.init?.headers).get('content-type')).toMatch(/application\/json/)
  })

  it('honours a path prefix in apiBase (reverse proxy) and ignores a trailing slash', async () => {
    const { wecom, client } = setup({ apiBase: 'https://egress.example.com/wecom/' })
    await client.getUser('zhangsan')
    expect(wecom.calls.map((c) => c.url.origin + c.url.pathname)).toEqual([
      'https://egress.example.com/wecom/cgi-bin/gettoken',
      'https://egress.example.com/wecom/cgi-bin/user/get',
    ])
  })

  it('passes an undici ProxyAgent as dispatcher when proxyUrl is set', async () => {
    const { wecom, client } = setup({ proxyUrl: 'http://proxy.internal:3128' })
    await client.getUser('zhangsan')
    const dispatcher = wecom.calls[0]?.init?.dispatcher
    expect(dispatcher?.constructor.name).toBe('ProxyAgent')
    expect(wecom.calls.every((c) => c.init?.dispatcher === dispatcher)).toBe(true)
  })

  it('without proxyUrl, the bounded keep-alive pool (an undici Agent) shared by every client', async () => {
    const a = setup()
    const b = setup({ apiBase: 'https://egress.example.com' })
    await Promise.all([a.client.accessToken(), b.client.accessToken()])
    const dispatcher = a.wecom.calls[0]?.init?.dispatcher
    expect(dispatcher?.constructor.name).toBe('Agent')
    expect(b.wecom.calls[0]?.init?.dispatcher).toBe(dispatcher)
  })

  it('exposes corpId', () => {
    expect(setup().client.corpId).toBe(CORP_ID)
  })
})
