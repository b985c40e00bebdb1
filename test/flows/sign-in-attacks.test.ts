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

async function whoIs(b: TestBrowser): Promise<string | undefined> {
  const res = await b.request(`${stack.appUrl}/api/me`)
  return res.ok ? ((await res.json()) as { userid: string }).userid : undefined
}

/** The callback link WeCom sends `userid`'s client to for `authorize` (not followed). */
async function callbackFor(b: TestBrowser, authorize: string, userid: string): Promise<string> {
  const res = await b.request(signedInAs(userid)(new URL(authorize)).toString())
  expect(res.status).toBe(302)
  return res.headers.get('location')!
}

describe('no session from a code this browser did not ask for', () => {
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
