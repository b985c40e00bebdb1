import { describe, expect, it } from 'vitest'
import { buildQrLoginUrl } from '@portal/shared'
import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { CALLBACK, qrUrl, redirectParams, setup } from '../helpers'

describe('sandbox web (QR) login page', () => {
  it.each([
    ['a missing login_type', { login_type: '' }, 'login_type'],
    ['ServiceApp', { login_type: 'ServiceApp' }, 'CorpApp'],
    ['a wrong appid', { appid: 'wwsomeoneelse00000' }, 'appid'],
    ['a missing agentid', { agentid: '' }, 'agentid'],
    ['a wrong agentid', { agentid: '1000099' }, 'agentid'],
    ['a missing redirect_uri', { redirect_uri: '' }, 'redirect_uri'],
    ['a javascript: redirect_uri', { redirect_uri: 'javascript:alert(1)' }, 'redirect_uri'],
  ])('shows a WeCom-like error page for %s', async (_label, params, mentions) => {
    const t = setup()
    const res = await t.get(qrUrl(params))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(mentions)
  })

  it('cancels to redirect_uri?state=STATE without a code', async () => {
    const t = setup()
    const res = await t.get(qrUrl({ sandbox_cancel: '1' }))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`${CALLBACK}?state=qr1`)
  })

  it('rejects a scan by someone not in the directory', async () => {
    const t = setup()
    expect((await t.get(qrUrl({ sandbox_scan: 'ghost' }))).status).toBe(400)
  })

  it('shows a QR square, the WeCom text, 30 members, the non-member choice and a cancel link', async () => {
    const t = setup()
    const res = await t.get(qrUrl({}))
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page).toContain('请使用企业微信扫码登录')
    expect(page).toContain('<svg viewBox="0 0 25 25"')
    expect(page.match(/data-choice="(?!@external)[^"]+"/g)).toHaveLength(30)
    expect(page).toContain('data-choice="@external"')
    expect(page).toContain('sandbox_cancel=1')
    expect(page).toMatch(/共 \d{3} 人/)
    expect(page).not.toMatch(/<(script|link)[^>]+(src|href)=/)
  })

  it('searches members by name, userid, position or department', async () => {
    const t = setup()
    const page = await (await t.get(qrUrl({ sandbox_q: '财务部' }))).text()
    expect(page).toContain('data-choice="zhaoliu"')
    expect(page).not.toContain('data-choice="zhangsan"')
    expect(await (await t.get(qrUrl({ sandbox_q: 'wangwu' }))).text()).toContain('data-choice="wangwu"')
  })

  it('redirects a scan to redirect_uri?code&state&appid and the code exchanges once', async () => {
    const t = setup()
    const res = await t.get(qrUrl({ sandbox_scan: 'zhangsan' }))
    expect(res.status).toBe(302)
    const to = redirectParams(res)
    expect([...to.searchParams.keys()]).toEqual(['code', 'state', 'appid'])
    expect(to.searchParams.get('state')).toBe('qr1')
    expect(to.searchParams.get('appid')).toBe(SANDBOX_DEFAULTS.corpId)
    const token = await t.token()
    const code = to.searchParams.get('code')!
    expect(await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${code}`)).toEqual({ errcode: 0, errmsg: 'ok', userid: 'zhangsan' })
    expect((await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${code}`)).errcode).toBe(40029)
  })

  it('lets a non-member "scan" and yields an openid', async () => {
    const t = setup()
    const code = redirectParams(await t.get(qrUrl({ sandbox_scan: '@external' }))).searchParams.get('code')!
    expect(await t.json(`/cgi-bin/auth/getuserinfo?access_token=${await t.token()}&code=${code}`)).toHaveProperty('openid')
  })

  it('accepts the link built by @portal/shared buildQrLoginUrl, plus sandbox_userid for automation', async () => {
    const t = setup()
    const url = buildQrLoginUrl({ loginBase: 'http://localhost:3100', corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, redirectUri: CALLBACK, state: 's-9', lang: 'zh' })
    const res = await t.get(`${url.replace('http://localhost:3100', '')}&sandbox_userid=lisi`)
    expect(res.status).toBe(302)
    expect(redirectParams(res).searchParams.get('state')).toBe('s-9')
  })
})
