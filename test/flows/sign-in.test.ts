import { meSchema } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.close())

async function me(b: TestBrowser) {
  const res = await b.request(`${stack.appUrl}/api/me`)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('sign-in from each entry context', () => {
  it('has no session before sign-in', async () => {
    const { status, body } = await me(new TestBrowser(UA.browser))
    expect(status).toBe(401)
    expect(body).toMatchObject({ error: { code: 'unauthenticated' } })
  })

  it('WeCom mobile: silent OAuth lands on returnTo without the code, and /api/me knows the person', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const login = await b.request(`${stack.appUrl}/auth/login?returnTo=${encodeURIComponent('/some/page?x=1')}`)
    expect(login.status).toBe(302)
    const authorize = new URL(login.headers.get('location')!)
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${stack.sandboxUrl}/connect/oauth2/authorize`)
    expect(authorize.hash).toBe('#wechat_redirect')
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      appid: stack.config.wecom.corpId,
      redirect_uri: `${stack.appUrl}/auth/callback`,
      response_type: 'code',
      scope: 'snsapi_base',
      agentid: stack.config.wecom.agentId,
    })
    const { url } = await b.go(authorize.toString(), signedInAs('zhangsan'))
    expect(url).toBe(`${stack.appUrl}/some/page?x=1`)
    const { status, body } = await me(b)
    expect(status).toBe(200)
    const parsed = meSchema.parse(body)
    expect(parsed).toMatchObject({ userid: 'zhangsan', name: '张三', roles: ['admin', 'member'] })
    expect(parsed.position).not.toBe('')
    expect(parsed.mainDepartment?.name).toMatch(/\p{Script=Han}/u)
  })

  it('sets the session cookie HttpOnly, SameSite=Lax, and not Secure on http', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
    const attrs = b.cookie('localhost', 'wp_sid')!.attrs
    expect(attrs).toMatch(/HttpOnly/i)
    expect(attrs).toMatch(/SameSite=Lax/i)
    expect(attrs).not.toMatch(/Secure/i)
    expect(attrs).toMatch(/Path=\//)
  })

  it('WeCom desktop: a new entry as someone else replaces the old session', async () => {
    const b = new TestBrowser(UA.wecomDesktop)
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
    const first = b.cookie('localhost', 'wp_sid')!.value
    expect((await me(b)).body.userid).toBe('zhangsan')
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
    expect((await me(b)).body.userid).toBe('lisi')
    // The replaced session is revoked, not merely forgotten by this browser.
    const old = await fetch(`${stack.appUrl}/api/me`, { headers: { cookie: `wp_sid=${first}` } })
    expect(old.status).toBe(401)
  })

  it('plain browser: /auth/login sends to the QR login page, whose options point at the sandbox QR page', async () => {
    const b = new TestBrowser(UA.browser)
    const login = await b.request(`${stack.appUrl}/auth/login?returnTo=/me`)
    expect(login.headers.get('location')).toBe('/login?returnTo=%2Fme')
    const opts = (await (await b.request(`${stack.appUrl}/api/auth/login-options?returnTo=/me`)).json()) as { fullPageUrl: string; panel: Record<string, string> }
    const full = new URL(opts.fullPageUrl)
    expect(`${full.origin}${full.pathname}`).toBe(`${stack.sandboxUrl}/wwlogin/sso/login`)
    expect(opts.panel).toMatchObject({ login_type: 'CorpApp', appid: stack.config.wecom.corpId, redirect_uri: `${stack.appUrl}/auth/callback` })
    // "Scan" as lisi on the sandbox QR page.
    full.searchParams.set('sandbox_userid', 'lisi')
    const { url } = await b.go(full.toString())
    expect(url).toBe(`${stack.appUrl}/me`)
    expect((await me(b)).body.userid).toBe('lisi')
  })

  it('app homepage entry (a deep link through /auth/login) signs in inside WeCom', async () => {
    const { buildHomepageUrl } = await import('@portal/shared')
    const b = new TestBrowser(UA.wecomMobile)
    const home = buildHomepageUrl({ publicUrl: stack.appUrl, path: '/me?tab=session' })
    const { url } = await b.go(home, signedInAs('zhangsan'))
    expect(url).toBe(`${stack.appUrl}/me?tab=session`)
  })

  it('sign-out ends the session on the server', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
    const sid = b.cookie('localhost', 'wp_sid')!.value
    const out = await b.request(`${stack.appUrl}/api/auth/logout`, { method: 'POST' })
    expect(out.status).toBe(204)
    expect(b.cookie('localhost', 'wp_sid')).toBeUndefined()
    expect((await fetch(`${stack.appUrl}/api/me`, { headers: { cookie: `wp_sid=${sid}` } })).status).toBe(401)
  })
})

describe('roles', () => {
  it('without a role a member is told whom to ask', async () => {
    const strict = await startStack({ env: { ROLE_POLICY: 'explicit' } })
    try {
      // The admin signs in once so that their name is known.
      await new TestBrowser(UA.wecomMobile).go(`${strict.appUrl}/auth/login`, signedInAs('zhangsan'))
      const b = new TestBrowser(UA.wecomMobile)
      const { url } = await b.go(`${strict.appUrl}/auth/login`, signedInAs('lisi'))
      const u = new URL(url)
      expect(u.pathname).toBe('/problem')
      expect(Object.fromEntries(u.searchParams)).toEqual({ reason: 'no_role', contact: '张三' })
      expect(b.cookie('localhost', 'wp_sid')).toBeUndefined()
    } finally {
      await strict.close()
    }
  })
})
