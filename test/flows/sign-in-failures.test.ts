import { EXTERNAL_CHOICE } from '@portal/bff/sandbox'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.close())
beforeEach(async () => {
  await fetch(`${stack.sandboxUrl}/sandbox/admin/reset`, { method: 'POST' })
})

const problemOf = (url: string) => {
  const u = new URL(url)
  expect(u.pathname).toBe('/problem')
  return Object.fromEntries(u.searchParams)
}

describe('sign-in failures end on a clear problem page', () => {
  it('rejects a tampered state', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const login = await b.request(`${stack.appUrl}/auth/login?returnTo=/me`)
    const authorize = new URL(login.headers.get('location')!)
    const state = authorize.searchParams.get('state')!
    const tampered = state.slice(0, -1) + (state.endsWith('0') ? '1' : '0')
    const { url } = await b.go(`${stack.appUrl}/auth/callback?code=whatever&state=${tampered}`)
    expect(problemOf(url)).toEqual({ reason: 'state_invalid', why: 'invalid' })
  })

  it('rejects a state started in another browser (login CSRF)', async () => {
    const attacker = new TestBrowser(UA.wecomMobile)
    const login = await attacker.request(`${stack.appUrl}/auth/login?returnTo=/`)
    const authorize = new URL(login.headers.get('location')!)
    authorize.searchParams.set('sandbox_userid', 'lisi')
    const cb = (await attacker.request(authorize.toString())).headers.get('location')!
    const victim = new TestBrowser(UA.wecomMobile)
    const { url } = await victim.go(cb)
    expect(problemOf(url)).toEqual({ reason: 'state_invalid', why: 'other_browser' })
  })

  it('replaying a callback URL does not sign in twice', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    await b.go(`${stack.appUrl}/auth/login?returnTo=/`, signedInAs('zhangsan'))
    const callback = b.hops.find((h) => h.includes('/auth/callback'))!
    const again = await b.go(callback)
    expect(problemOf(again.url)).toEqual({ reason: 'state_invalid', why: 'used' })
  })

  it('restarts sign-in once, silently, when the code is spent (40029)', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    // A code that was already used elsewhere (e.g. by a second server) with a fresh state.
    await b.go(`${stack.appUrl}/auth/login?returnTo=/me`, signedInAs('lisi'))
    const spentCode = new URL(b.hops.find((h) => h.includes('/auth/callback'))!).searchParams.get('code')!
    const login = await b.request(`${stack.appUrl}/auth/login?returnTo=/me`)
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!
    const { url } = await b.go(`${stack.appUrl}/auth/callback?code=${spentCode}&state=${state}`, signedInAs('lisi'))
    expect(url).toBe(`${stack.appUrl}/me`)
    expect(b.hops.filter((h) => h.includes('/connect/oauth2/authorize'))).toHaveLength(1)
  })

  it('gives up after one restart when codes keep failing', async () => {
    await fetch(`${stack.sandboxUrl}/sandbox/admin/faults`, { method: 'POST', body: JSON.stringify({ path: '/cgi-bin/auth/getuserinfo', errcode: 40029, errmsg: 'invalid code' }), headers: { 'content-type': 'application/json' } })
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${stack.appUrl}/auth/login?returnTo=/me`, signedInAs('lisi'))
    expect(problemOf(url)).toMatchObject({ reason: 'code_invalid', returnTo: '/me' })
    expect(b.hops.filter((h) => h.includes('/connect/oauth2/authorize'))).toHaveLength(2)
  })

  it('restarts sign-in once, silently, when WeCom fails or is busy during the code exchange', async () => {
    for (const fault of [{ httpStatus: 502 }, { drop: true }, { errcode: -1, errmsg: 'system busy' }]) {
      await fetch(`${stack.sandboxUrl}/sandbox/admin/reset`, { method: 'POST' })
      await fetch(`${stack.sandboxUrl}/sandbox/admin/faults`, { method: 'POST', body: JSON.stringify({ path: '/cgi-bin/auth/getuserinfo', times: 1, ...fault }), headers: { 'content-type': 'application/json' } })
      const b = new TestBrowser(UA.wecomMobile)
      const { url } = await b.go(`${stack.appUrl}/auth/login?returnTo=/me`, signedInAs('lisi'))
      expect(url, JSON.stringify(fault)).toBe(`${stack.appUrl}/me`)
      expect(b.hops.filter((h) => h.includes('/connect/oauth2/authorize'))).toHaveLength(2)
    }
  })

  it('gives up after one restart when WeCom keeps failing', async () => {
    await fetch(`${stack.sandboxUrl}/sandbox/admin/faults`, { method: 'POST', body: JSON.stringify({ path: '/cgi-bin/auth/getuserinfo', httpStatus: 502 }), headers: { 'content-type': 'application/json' } })
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${stack.appUrl}/auth/login?returnTo=/me`, signedInAs('lisi'))
    expect(problemOf(url)).toMatchObject({ reason: 'server_error', returnTo: '/me' })
    expect(b.hops.filter((h) => h.includes('/connect/oauth2/authorize'))).toHaveLength(2)
  })

  it('tells a non-member they are not in this corp', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${stack.appUrl}/auth/login`, signedInAs(EXTERNAL_CHOICE))
    expect(problemOf(url).reason).toBe('not_member')
  })

  it('tells a member who quit that their account is inactive', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${stack.appUrl}/auth/login`, signedInAs('wangwu'))
    expect(problemOf(url)).toEqual({ reason: 'member_inactive', status: '5' })
  })

  it('names the egress IP to whitelist on 60020', async () => {
    await fetch(`${stack.sandboxUrl}/sandbox/admin/settings`, { method: 'POST', body: JSON.stringify({ ipAllowlist: [] }), headers: { 'content-type': 'application/json' } })
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
    const p = problemOf(url)
    expect(p).toMatchObject({ reason: 'wecom_error', errcode: '60020' })
    expect(p.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/)
  })

  it('names the domain to trust on 50001', async () => {
    await fetch(`${stack.sandboxUrl}/sandbox/admin/settings`, { method: 'POST', body: JSON.stringify({ trustedDomain: 'portal.example.com' }), headers: { 'content-type': 'application/json' } })
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
    expect(problemOf(url)).toMatchObject({ reason: 'wecom_error', errcode: '50001', domain: new URL(stack.appUrl).host })
  })

  it('keeps the visitor on our origin whatever returnTo says', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    for (const evil of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const { url } = await b.go(`${stack.appUrl}/auth/login?returnTo=${encodeURIComponent(evil)}`, signedInAs('zhangsan'))
      expect(url).toBe(`${stack.appUrl}/`)
    }
  })
})

describe('secrets and config errors', () => {
  it('says which setting to check on a wrong secret (40001), without leaking it', async () => {
    const bad = await startStack({ env: { WECOM_SECRET: 'not-the-right-secret-0123456789' } })
    try {
      const b = new TestBrowser(UA.wecomMobile)
      const { url } = await b.go(`${bad.appUrl}/auth/login`, signedInAs('zhangsan'))
      expect(problemOf(url)).toMatchObject({ reason: 'wecom_error', errcode: '40001' })
      expect(bad.logs.join('\n')).not.toContain('not-the-right-secret-0123456789')
    } finally {
      await bad.close()
    }
  })
})
