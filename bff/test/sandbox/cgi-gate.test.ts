import { describe, expect, it } from 'vitest'
import { TEST_IP_HEADER } from '../../src/sandbox/index'
import { hintPattern, setup } from './helpers'

describe('sandbox access_token and trusted-IP gate', () => {
  it('answers 41001 when access_token is missing', async () => {
    const t = setup()
    const body = await t.json('/cgi-bin/user/get?userid=zhangsan')
    expect(body.errcode).toBe(41001)
    expect(body.errmsg).toMatch(/^access_token missing/)
    expect(body.errmsg).toMatch(hintPattern(41001))
  })

  it('answers 40014 for a token it never issued', async () => {
    const t = setup()
    const body = await t.json('/cgi-bin/user/get?access_token=forged&userid=zhangsan')
    expect(body.errcode).toBe(40014)
    expect(body.errmsg).toMatch(/^invalid access_token/)
  })

  it('answers 42001 once the token has expired (injected clock)', async () => {
    const t = setup()
    const token = await t.token()
    t.advance(7200 * 1000 - 1)
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`)).errcode).toBe(0)
    t.advance(1)
    const body = await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`)
    expect(body.errcode).toBe(42001)
    expect(body.errmsg).toMatch(/^access_token expired/)
  })

  it('keeps answering 42001 for the old token after a new one was issued', async () => {
    const t = setup()
    const old = await t.token()
    t.advance(7200 * 1000)
    const fresh = await t.token()
    expect((await t.json(`/cgi-bin/user/get?access_token=${old}&userid=lisi`)).errcode).toBe(42001)
    expect((await t.json(`/cgi-bin/user/get?access_token=${fresh}&userid=lisi`)).errcode).toBe(0)
  })

  it('applies tokenExpiresIn from the admin API to tokens already issued', async () => {
    const t = setup()
    const token = await t.token()
    await t.send('POST', '/sandbox/admin/settings', { tokenExpiresIn: 60 })
    t.advance(60 * 1000)
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`)).errcode).toBe(42001)
    expect((await t.gettoken()).expires_in).toBe(60)
  })

  it('answers 40014 after the admin API revokes tokens, and gettoken then issues a new one', async () => {
    const t = setup()
    const token = await t.token()
    expect(await (await t.send('POST', '/sandbox/admin/tokens/revoke')).json()).toMatchObject({ errcode: 0, revoked: 1 })
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`)).errcode).toBe(40014)
    expect(await t.token()).not.toBe(token)
  })

  it('answers 60020 with the caller IP when the IP is not allowed', async () => {
    const t = setup()
    const token = await t.token()
    const body = await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`, { [TEST_IP_HEADER]: '203.0.113.7' })
    expect(body.errcode).toBe(60020)
    expect(body.errmsg).toMatch(/^not allow to access from your ip, hint: \[/)
    expect(body.errmsg).toContain('from ip: 203.0.113.7')
    expect(body.errmsg).toMatch(hintPattern(60020, '203.0.113.7'))
  })

  it('checks the token before the IP (the allowlist belongs to the token’s app)', async () => {
    const t = setup({ ipAllowlist: [] })
    expect((await t.json('/cgi-bin/user/get?access_token=forged&userid=lisi')).errcode).toBe(40014)
  })

  it('allows nobody with an empty allowlist, and follows allowlist changes', async () => {
    const t = setup({ ipAllowlist: [] })
    const token = await t.token()
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`)).errcode).toBe(60020)
    await t.send('POST', '/sandbox/admin/settings', { ipAllowlist: ['10.0.0.8'] })
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`, { [TEST_IP_HEADER]: '10.0.0.8' })).errcode).toBe(0)
  })

  it('treats IPv4-mapped IPv6 and dotted IPv4 as the same caller', async () => {
    const t = setup({ ipAllowlist: ['::ffff:10.1.2.3'] })
    const token = await t.token()
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`, { [TEST_IP_HEADER]: '10.1.2.3' })).errcode).toBe(0)
  })

  it('answers an API it does not implement with HTTP 404 and errcode 48002', async () => {
    const t = setup()
    const token = await t.token()
    const res = await t.get(`/cgi-bin/message/recall?access_token=${token}`)
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ errcode: 48002, errmsg: expect.stringContaining('does not implement GET /cgi-bin/message/recall') })
  })

  it('lets an allowed caller through with a valid token', async () => {
    const t = setup()
    const token = await t.token()
    expect(await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`)).toMatchObject({ errcode: 0, errmsg: 'ok', userid: 'lisi' })
  })
})
