import { describe, expect, it } from 'vitest'
import { EXTERNAL_OPENID } from '../../../src/sandbox/index'
import { authorizeUrl, hintPattern, qrUrl, redirectParams, setup } from '../helpers'

async function codeFor(t: ReturnType<typeof setup>, params: Record<string, string>): Promise<string> {
  return redirectParams(await t.get(authorizeUrl(params))).searchParams.get('code')!
}

describe('sandbox auth/getuserinfo', () => {
  it('answers 41008 without a code and 40029 for an unknown one', async () => {
    const t = setup()
    const token = await t.token()
    expect((await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}`)).errcode).toBe(41008)
    const body = await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=nope`)
    expect(body.errcode).toBe(40029)
    expect(body.errmsg).toMatch(/^invalid code/)
    expect(body.errmsg).toMatch(hintPattern(40029))
  })

  it('answers 40029 when a code is used twice', async () => {
    const t = setup()
    const token = await t.token()
    const code = await codeFor(t, { sandbox_userid: 'lisi' })
    expect((await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${code}`)).errcode).toBe(0)
    expect((await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${code}`)).errcode).toBe(40029)
  })

  it('answers 40029 five minutes after the code was issued', async () => {
    const t = setup()
    const early = await codeFor(t, { sandbox_userid: 'lisi' })
    const late = await codeFor(t, { sandbox_userid: 'lisi' })
    t.advance(5 * 60 * 1000 - 1)
    const token = await t.token()
    expect((await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${early}`)).errcode).toBe(0)
    t.advance(1)
    expect((await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${late}`)).errcode).toBe(40029)
  })

  it('answers 50001 when the redirect host differs from the trusted domain (port included)', async () => {
    const t = setup()
    const token = await t.token()
    for (const uri of ['http://localhost:3001/auth/callback', 'http://evil.example/auth/callback', 'http://localhost/auth/callback']) {
      const code = await codeFor(t, { redirect_uri: uri, sandbox_userid: 'lisi' })
      const body = await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${code}`)
      expect(body.errcode).toBe(50001)
      expect(body.errmsg).toMatch(hintPattern(50001))
    }
  })

  it('does not spend the code on 50001, and follows trustedDomain changes', async () => {
    const t = setup()
    const token = await t.token()
    const code = await codeFor(t, { redirect_uri: 'http://portal.example.com:8443/cb', sandbox_userid: 'lisi' })
    expect((await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${code}`)).errcode).toBe(50001)
    await t.send('POST', '/sandbox/admin/settings', { trustedDomain: 'portal.example.com:8443' })
    expect(await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${code}`)).toMatchObject({ errcode: 0, userid: 'lisi' })
  })

  it('gives a non-member only an openid', async () => {
    const t = setup()
    const code = await codeFor(t, { sandbox_pick: '@external' })
    const body = await t.json(`/cgi-bin/auth/getuserinfo?access_token=${await t.token()}&code=${code}`)
    expect(body).toEqual({ errcode: 0, errmsg: 'ok', openid: EXTERNAL_OPENID })
  })

  it('gives a member userid only for snsapi_base', async () => {
    const t = setup()
    const code = await codeFor(t, { sandbox_userid: 'ZhangSan' })
    expect(await t.json(`/cgi-bin/auth/getuserinfo?access_token=${await t.token()}&code=${code}`)).toEqual({ errcode: 0, errmsg: 'ok', userid: 'zhangsan' })
  })

  it('adds user_ticket for snsapi_privateinfo in the client, never for web login', async () => {
    const t = setup()
    const token = await t.token()
    const code = await codeFor(t, { sandbox_userid: 'lisi', scope: 'snsapi_privateinfo', sandbox_consent: 'agree' })
    expect(await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${code}`)).toEqual({
      errcode: 0,
      errmsg: 'ok',
      userid: 'lisi',
      user_ticket: expect.stringMatching(/^[\w-]{20,512}$/),
    })
    const qr = redirectParams(await t.get(qrUrl({ sandbox_scan: 'lisi' }))).searchParams.get('code')!
    expect(await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${qr}`)).toEqual({ errcode: 0, errmsg: 'ok', userid: 'lisi' })
  })

  it('still identifies members who quit or are disabled: the app must decide', async () => {
    const t = setup()
    const token = await t.token()
    for (const userid of ['wangwu', 'zhaoliu', 'sunqi']) {
      const code = await codeFor(t, { sandbox_userid: userid })
      expect(await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${code}`)).toMatchObject({ userid })
    }
  })
})
