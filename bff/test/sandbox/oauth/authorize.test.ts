import { describe, expect, it } from 'vitest'
import { buildAuthorizeUrl } from '@portal/shared'
import { SANDBOX_DEFAULTS, USER_COOKIE } from '../../../src/sandbox/index'
import { authorizeUrl, CALLBACK, redirectParams, setup } from '../helpers'

describe('sandbox OAuth authorize (the WeCom client)', () => {
  it.each([
    ['a wrong appid', { appid: 'wwsomeoneelse00000' }, 'appid'],
    ['a missing appid', { appid: '' }, 'appid'],
    ['a missing redirect_uri', { redirect_uri: '' }, 'redirect_uri'],
    ['a javascript: redirect_uri', { redirect_uri: 'javascript:alert(1)' }, 'redirect_uri'],
    ['a relative redirect_uri', { redirect_uri: '/auth/callback' }, 'redirect_uri'],
    ['response_type other than code', { response_type: 'token' }, 'response_type'],
    ['an unknown scope', { scope: 'snsapi_everything' }, 'scope'],
    ['another app’s agentid', { agentid: '1000099' }, 'agentid'],
    ['snsapi_privateinfo without agentid', { scope: 'snsapi_privateinfo', agentid: '' }, 'agentid'],
    ['a state over 128 bytes', { state: 'a'.repeat(129) }, 'state'],
  ])('shows a WeCom-like error page for %s', async (_label, params, mentions) => {
    const t = setup()
    const res = await t.get(authorizeUrl(params))
    expect(res.status).toBe(400)
    expect(res.headers.get('location')).toBeNull()
    const page = await res.text()
    expect(page).toContain('<svg class="icon"')
    expect(page).toContain(mentions)
  })

  it('shows an error page for an unknown sandbox_userid instead of inventing a member', async () => {
    const t = setup()
    const res = await t.get(authorizeUrl({ sandbox_userid: 'nobody' }))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('nobody')
  })

  it('escapes everything it echoes into the picker', async () => {
    const t = setup()
    const page = await (await t.get(authorizeUrl({ state: '"><script>alert(1)</script>', sandbox_q: '<img src=x onerror=alert(1)>' }))).text()
    expect(page).not.toContain('<script>alert(1)')
    expect(page).not.toContain('<img src=x')
    expect(page).toContain('&quot;&gt;&lt;script&gt;')
  })

  it('shows the picker when no client user is known: members, search and the non-member choice', async () => {
    const t = setup()
    const res = await t.get(authorizeUrl({}))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    const page = await res.text()
    expect(page).toContain('<meta name="viewport"')
    expect(page).toContain('data-choice="zhangsan"')
    expect(page).toContain('data-choice="@external"')
    expect(page).toContain('name="sandbox_q"')
    expect(page).not.toMatch(/<(script|link)[^>]+(src|href)=/)
    const found = await (await t.get(authorizeUrl({ sandbox_q: '李四' }))).text()
    expect(found).toContain('data-choice="lisi"')
    expect(found).not.toContain('data-choice="zhangsan"')
  })

  it('redirects a pick to redirect_uri?code&state and remembers the user in a wwsandbox_ cookie', async () => {
    const t = setup()
    const res = await t.get(authorizeUrl({ sandbox_pick: 'lisi' }))
    expect(res.status).toBe(302)
    const to = redirectParams(res)
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK)
    expect(to.searchParams.get('code')).toMatch(/^[\w-]{20,512}$/)
    expect(to.searchParams.get('state')).toBe('st1')
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${USER_COOKIE}=lisi;.*HttpOnly`))
  })

  it('signs in the remembered user straight away, like the real client', async () => {
    const t = setup()
    const res = await t.get(authorizeUrl({}), { cookie: `${USER_COOKIE}=zhangsan` })
    expect(res.status).toBe(302)
    const code = redirectParams(res).searchParams.get('code')!
    expect(await t.json(`/cgi-bin/auth/getuserinfo?access_token=${await t.token()}&code=${code}`)).toMatchObject({ userid: 'zhangsan' })
  })

  it('forgets a cookie naming nobody and shows the picker', async () => {
    const t = setup()
    const res = await t.get(authorizeUrl({}), { cookie: `${USER_COOKIE}=ghost` })
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${USER_COOKIE}=;`))
  })

  it('takes sandbox_userid for automation without setting a cookie', async () => {
    const t = setup()
    const res = await t.get(authorizeUrl({ sandbox_userid: 'wangwu' }), { cookie: `${USER_COOKIE}=lisi` })
    expect(res.status).toBe(302)
    expect(res.headers.get('set-cookie')).toBeNull()
    const code = redirectParams(res).searchParams.get('code')!
    expect(await t.json(`/cgi-bin/auth/getuserinfo?access_token=${await t.token()}&code=${code}`)).toMatchObject({ userid: 'wangwu' })
  })

  it('appends code and state after an existing query and before a #hash route', async () => {
    const t = setup()
    const uri = 'http://localhost:3000/portal/auth/callback?returnTo=%2Ftodos#/home'
    const location = (await t.get(authorizeUrl({ redirect_uri: uri, sandbox_userid: 'lisi', state: '' }))).headers.get('location')!
    expect(location).toMatch(/^http:\/\/localhost:3000\/portal\/auth\/callback\?returnTo=%2Ftodos&code=[\w-]+&state=#\/home$/)
  })

  it('accepts the link built by @portal/shared buildAuthorizeUrl', async () => {
    const t = setup()
    const url = buildAuthorizeUrl({ oauthBase: 'http://localhost:3100', corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, redirectUri: CALLBACK, state: 'abc' })
    const res = await t.get(`${url.replace('http://localhost:3100', '').replace('#wechat_redirect', '')}&sandbox_userid=lisi`)
    expect(res.status).toBe(302)
    expect(redirectParams(res).searchParams.get('state')).toBe('abc')
  })

  it('sets and clears the client user through /sandbox/client', async () => {
    const t = setup()
    const set = await t.get(`/sandbox/client?userid=zhouba&next=${encodeURIComponent('http://localhost:3000/')}`)
    expect(set.status).toBe(302)
    expect(set.headers.get('location')).toBe('http://localhost:3000/')
    expect(set.headers.get('set-cookie')).toMatch(new RegExp(`^${USER_COOKIE}=zhouba;`))
    const bad = await t.get('/sandbox/client?userid=ghost')
    expect(bad.status).toBe(400)
    const cleared = await t.get(`/sandbox/client/switch?next=${encodeURIComponent('http://localhost:3000/login')}`)
    expect(cleared.headers.get('location')).toBe('http://localhost:3000/login')
    expect(cleared.headers.get('set-cookie')).toMatch(new RegExp(`^${USER_COOKIE}=;`))
    const chooser = await t.get('/sandbox/client', { cookie: `${USER_COOKIE}=zhouba` })
    expect(await chooser.text()).toContain('周八')
  })
})
