import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'

describe('behind a reverse proxy at https://…/portal/', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack({ prefix: '/portal' })
  })
  afterAll(() => stack.close())

  it('answers nothing outside the prefix', async () => {
    expect((await fetch(`${new URL(stack.appUrl).origin}/api/app`)).status).toBe(404)
  })

  it('signs in with every redirect, cookie path and callback under the prefix', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const login = await b.request(`${stack.appUrl}/auth/login?returnTo=/me`)
    const authorize = new URL(login.headers.get('location')!)
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.appUrl}/auth/callback`)
    const { url } = await b.go(authorize.toString(), signedInAs('zhangsan'))
    expect(url).toBe(`${stack.appUrl}/me`)
    expect(b.cookie('localhost', 'wp_sid')!.attrs).toMatch(/Path=\/portal\//)
    expect((await b.request(`${stack.appUrl}/api/me`)).status).toBe(200)
    const browser = new TestBrowser(UA.browser)
    expect((await browser.request(`${stack.appUrl}/auth/login?returnTo=/me`)).headers.get('location')).toBe('/portal/login?returnTo=%2Fme')
  })

  it('page loads inside WeCom confirm who it is through the prefixed /auth/login, and land back', async () => {
    const location = async (path: string) => (await new TestBrowser(UA.wecomDesktop).request(`${stack.appUrl}${path}`)).headers.get('location')
    expect(await location('/todos?x=1')).toBe(`/portal/auth/login?returnTo=${encodeURIComponent('/todos?x=1')}`)
    expect(await location('')).toBe('/portal/auth/login?returnTo=%2F')
    expect(await location('/')).toBe('/portal/auth/login?returnTo=%2F')
    const b = new TestBrowser(UA.wecomDesktop)
    const { url, res } = await b.go(`${stack.appUrl}/todos?x=1`, signedInAs('lisi'))
    expect(url).toBe(`${stack.appUrl}/todos?x=1`)
    expect(res.status).toBe(200)
    expect(b.cookie('localhost', 'wp_entry')).toBeUndefined() // spent by the page it let through
  })

  it('problem pages stay under the prefix too', async () => {
    const { url } = await new TestBrowser(UA.wecomMobile).go(`${stack.appUrl}/auth/login`, signedInAs('wangwu'))
    expect(new URL(url).pathname).toBe('/portal/problem')
  })

  it('serves the H5 with the prefix injected', async () => {
    const html = await (await fetch(`${stack.appUrl}/me?tab=session`)).text()
    expect(html).toContain('window.__PORTAL_BASE__="/portal/"')
    expect(html).not.toMatch(/"\/assets\//)
    const asset = html.match(/"(\/portal\/assets\/[^"]+\.js)"/)![1]!
    const res = await fetch(`${new URL(stack.appUrl).origin}${asset}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('immutable')
  })
})

describe('cookies on https', () => {
  it('are Secure, HttpOnly and SameSite=Lax when PUBLIC_URL is https', async () => {
    const { createApp } = await import('@portal/bff/app')
    const stack = await startStack()
    try {
      const app = createApp({ ...stack.deps, config: { ...stack.config, publicUrl: 'https://portal.example.com', secureCookies: true } })
      const res = await app.request('https://portal.example.com/api/auth/login-options?returnTo=/')
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('wp_browser='))!
      expect(cookie).toMatch(/; Secure/)
      expect(cookie).toMatch(/; HttpOnly/)
      expect(cookie).toMatch(/; SameSite=Lax/)
      expect(((await res.json()) as { panel: { redirect_uri: string } }).panel.redirect_uri).toBe('https://portal.example.com/auth/callback')
    } finally {
      await stack.close()
    }
  })
})
