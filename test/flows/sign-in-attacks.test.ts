import { buildAuthorizeUrl } from '@portal/shared'
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

/** A homepage link as admins pasted it before /auth/login: WeCom's authorize URL with state=homepage. */
function legacyHomepageLink(returnTo: string): string {
  return buildAuthorizeUrl({
    oauthBase: stack.sandboxUrl,
    corpId: stack.config.wecom.corpId,
    agentId: stack.config.wecom.agentId,
    redirectUri: `${stack.appUrl}/auth/callback?returnTo=${encodeURIComponent(returnTo)}`,
    state: 'homepage',
  })
}

async function whoIs(b: TestBrowser): Promise<string | undefined> {
  const res = await b.request(`${stack.appUrl}/api/me`)
  return res.ok ? ((await res.json()) as { userid: string }).userid : undefined
}

const exchanges = async () =>
  ((await (await fetch(`${stack.sandboxUrl}/sandbox/admin/stats`)).json()) as { calls: Record<string, number> }).calls['/cgi-bin/auth/getuserinfo'] ?? 0

/** The callback link WeCom sends `userid`'s client to for `authorize` (not followed). */
async function callbackFor(b: TestBrowser, authorize: string, userid: string): Promise<string> {
  const res = await b.request(signedInAs(userid)(new URL(authorize)).toString())
  expect(res.status).toBe(302)
  return res.headers.get('location')!
}

describe('no session from a code this browser did not ask for', () => {
  it('an unused state=homepage code sent to a colleague does not sign them in as the sender', async () => {
    const victim = new TestBrowser(UA.wecomMobile)
    await victim.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
    expect(await whoIs(victim)).toBe('lisi')
    // The attacker opens the old-style homepage link as themself and keeps the callback link.
    const homepage = legacyHomepageLink('/todos?from=attacker')
    const bait = await callbackFor(new TestBrowser(UA.wecomMobile), homepage, 'zhouba')
    expect(new URL(bait).searchParams.get('code')).toBeTruthy()
    const before = await exchanges()

    // Inside WeCom the colleague's client is signed in as 李四.
    const { url } = await victim.go(bait, signedInAs('lisi'))
    expect(await whoIs(victim)).toBe('lisi')
    expect(url).toBe(`${stack.appUrl}/todos?from=attacker`)
    // The attacker's code was never exchanged: only the victim's own, bound one was.
    expect(victim.hops.filter((h) => h.includes('/connect/oauth2/authorize'))).toHaveLength(1)
    expect((await exchanges()) - before).toBe(1)
  })

  it('an old homepage link (state=homepage) still signs in: through a sign-in bound to this browser', async () => {
    const b = new TestBrowser(UA.wecomDesktop)
    const homepage = legacyHomepageLink('/me?tab=session')
    const { url } = await b.go(homepage, signedInAs('zhangsan'))
    expect(url).toBe(`${stack.appUrl}/me?tab=session`)
    expect(await whoIs(b)).toBe('zhangsan')
    const authorizes = b.hops.filter((h) => h.includes('/connect/oauth2/authorize')).map((h) => new URL(h).searchParams.get('state'))
    expect(authorizes).toHaveLength(2)
    expect(authorizes[1]).toMatch(/^[0-9a-f]{64}$/)
  })

  it('outside WeCom a state=homepage callback goes to the QR login, keeping returnTo', async () => {
    const b = new TestBrowser(UA.browser)
    const { url } = await b.go(`${stack.appUrl}/auth/callback?code=x&state=homepage&returnTo=%2Ftodos`)
    expect(url).toBe(`${stack.appUrl}/login?returnTo=%2Ftodos`)
    expect(await whoIs(b)).toBeUndefined()
  })

  it('a planted wp_browser cookie is replaced at sign-in, so a state bound to it is refused afterwards', async () => {
    const planted = 'planted-browser-id-0123456789'
    const plant = (b: TestBrowser) => b.jar.set('localhost', new Map([['wp_browser', { value: planted, attrs: '' }]]))
    const attacker = new TestBrowser(UA.wecomMobile)
    plant(attacker)
    const login = await attacker.request(`${stack.appUrl}/auth/login?returnTo=/`)
    const bait = await callbackFor(attacker, login.headers.get('location')!, 'zhouba')

    const victim = new TestBrowser(UA.wecomMobile)
    plant(victim)
    await victim.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
    expect(victim.cookie('localhost', 'wp_browser')?.value).not.toBe(planted)
    const { url } = await victim.go(bait)
    expect(new URL(url).pathname).toBe('/problem')
    expect(new URL(url).searchParams.get('reason')).toBe('state_invalid')
    expect(await whoIs(victim)).toBe('lisi')
  })

  it('each sign-in issues a new wp_browser cookie', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
    const first = b.cookie('localhost', 'wp_browser')!.value
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
    expect(b.cookie('localhost', 'wp_browser')!.value).not.toBe(first)
  })
})

describe('every entry from WeCom confirms who the person is', () => {
  it('the desktop client that last signed in as 张三 shows 李四 when 李四 opens the plain app URL', async () => {
    const desktop = new TestBrowser(UA.wecomDesktop)
    await desktop.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
    expect(await whoIs(desktop)).toBe('zhangsan')
    // The WeCom client now belongs to 李四, and opens the app's plain URL (an old 应用主页 value).
    const { url } = await desktop.go(`${stack.appUrl}/todos?tab=done`, signedInAs('lisi'))
    expect(url).toBe(`${stack.appUrl}/todos?tab=done`)
    expect(await whoIs(desktop)).toBe('lisi')
  })

  it('the page after a sign-in is served without another one; the next entry signs in again', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    await b.go(`${stack.appUrl}/`, signedInAs('lisi'))
    expect(b.hops.filter((h) => h.includes('/connect/oauth2/authorize'))).toHaveLength(1)
    await b.go(`${stack.appUrl}/`, signedInAs('lisi'))
    expect(b.hops.filter((h) => h.includes('/connect/oauth2/authorize'))).toHaveLength(1)
  })

  it('a sign-in that fails ends on the problem page instead of looping', async () => {
    await fetch(`${stack.sandboxUrl}/sandbox/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/cgi-bin/auth/getuserinfo', errcode: 40029, errmsg: 'invalid code' }),
    })
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${stack.appUrl}/me`, signedInAs('lisi'))
    expect(new URL(url).pathname).toBe('/problem')
  })

  it('gates only page loads inside WeCom: not browsers, frames, embeds, assets or the problem page', async () => {
    const location = async (b: TestBrowser, path: string, headers: Record<string, string> = {}) =>
      (await b.request(`${stack.appUrl}${path}`, { headers })).headers.get('location')
    const wecom = new TestBrowser(UA.wecomMobile)
    expect(await location(wecom, '/todos?x=1')).toBe(`/auth/login?returnTo=${encodeURIComponent('/todos?x=1')}`)
    // The redirect marked this browser: its next page load (where the sign-in lands) is served.
    expect(await location(wecom, '/todos?x=1')).toBeNull()
    expect(await location(new TestBrowser(UA.wecomMobile), '/me', { 'sec-fetch-dest': 'document', accept: 'text/html,application/xhtml+xml' })).toBe(`/auth/login?returnTo=%2Fme`)
    expect(await location(new TestBrowser(UA.browser), '/todos')).toBeNull()
    expect(await location(new TestBrowser(UA.wecomMobile), '/todos', { 'sec-fetch-dest': 'iframe' })).toBeNull()
    expect(await location(new TestBrowser(UA.wecomMobile), '/todos', { 'sec-fetch-dest': 'empty' })).toBeNull()
    expect(await location(new TestBrowser(UA.wecomMobile), '/favicon.ico', { accept: 'image/avif,image/webp,*/*' })).toBeNull()
    expect(await location(new TestBrowser(UA.wecomMobile), '/todos?embed=1')).toBeNull()
    expect(await location(new TestBrowser(UA.wecomMobile), '/problem?reason=state_invalid')).toBeNull()
    expect(await location(new TestBrowser(UA.wecomMobile), '/login')).toBeNull()
    const asset = await new TestBrowser(UA.wecomMobile).request(`${stack.appUrl}/assets/missing-0123.js`)
    expect(asset.status).toBe(404)
  })
})
