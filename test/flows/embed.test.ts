import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '@portal/bff/app'
import { loadConfig } from '@portal/bff/config'
import { createDeps } from '@portal/bff/deps'
import { createLogger } from '@portal/bff/log'
import { pgliteTestDb } from '@portal/bff/testing/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'

const HOST_APP = 'https://oa.example.com'
const EMBED_ORIGINS = `${HOST_APP} http://localhost:5999`

let plain: Stack
let embedding: Stack
beforeAll(async () => {
  // `plain` lives under a path prefix: the guard must find /api/ behind it too.
  ;[plain, embedding] = await Promise.all([startStack({ prefix: '/portal' }), startStack({ env: { EMBED_ORIGINS } })])
})
afterAll(() => Promise.all([plain.close(), embedding.close()]))

const cookieAttrs = (b: TestBrowser, name: string) => b.cookie('localhost', name)?.attrs ?? ''

describe('framing (CSP frame-ancestors)', () => {
  it('allows only the app itself without EMBED_ORIGINS', async () => {
    for (const path of ['/api/app', '/healthz', '/api/nope']) {
      expect((await fetch(`${plain.appUrl}${path}`)).headers.get('content-security-policy'), path).toBe("frame-ancestors 'self'")
    }
  })

  it('adds the EMBED_ORIGINS, on every response', async () => {
    for (const path of ['/api/app', '/healthz', '/api/nope', '/api/me']) {
      expect((await fetch(`${embedding.appUrl}${path}`)).headers.get('content-security-policy'), path).toBe(`frame-ancestors 'self' ${EMBED_ORIGINS}`)
    }
  })
})

describe('embedded sign-in', () => {
  it('changes nothing without EMBED_ORIGINS', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${plain.appUrl}/auth/login?embed=1&returnTo=/todos`, signedInAs('lisi'))
    expect(url).toBe(`${plain.appUrl}/todos`)
    expect(cookieAttrs(b, 'wp_sid')).toMatch(/SameSite=Lax/i)
    expect(cookieAttrs(b, 'wp_browser')).toMatch(/SameSite=Lax/i)
  })

  it('inside WeCom: SameSite=None; Secure cookies, and the landing page keeps embed=1', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const login = await b.request(`${embedding.appUrl}/auth/login?embed=1&returnTo=${encodeURIComponent('/todos?tab=open#top')}`)
    expect(login.status).toBe(302)
    expect(cookieAttrs(b, 'wp_browser')).toMatch(/SameSite=None/i)
    const { url } = await b.go(login.headers.get('location')!, signedInAs('lisi'))
    expect(url).toBe(`${embedding.appUrl}/todos?tab=open&embed=1#top`)
    const attrs = cookieAttrs(b, 'wp_sid')
    expect(attrs).toMatch(/SameSite=None/i)
    expect(attrs).toMatch(/;\s*Secure/i)
    expect(attrs).toMatch(/HttpOnly/i)
    expect((await b.request(`${embedding.appUrl}/api/me`)).status).toBe(200)
  })

  it('does not add embed=1 twice', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${embedding.appUrl}/auth/login?embed=1&returnTo=${encodeURIComponent('/me?embed=1')}`, signedInAs('lisi'))
    expect(url).toBe(`${embedding.appUrl}/me?embed=1`)
  })

  it('a normal sign-in on the same app stays SameSite=Lax', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${embedding.appUrl}/auth/login?returnTo=/todos`, signedInAs('lisi'))
    expect(url).toBe(`${embedding.appUrl}/todos`)
    expect(cookieAttrs(b, 'wp_sid')).toMatch(/SameSite=Lax/i)
    expect(cookieAttrs(b, 'wp_sid')).not.toMatch(/Secure/i)
  })

  it('in a browser: the login page is told embed=1, and its QR login carries it through', async () => {
    const b = new TestBrowser(UA.browser)
    const login = await b.request(`${embedding.appUrl}/auth/login?embed=1&returnTo=/me`)
    expect(login.headers.get('location')).toBe('/login?returnTo=%2Fme%3Fembed%3D1&embed=1')
    const page = new URL(login.headers.get('location')!, embedding.appUrl)
    const optionsUrl = `${embedding.appUrl}/api/auth/login-options?returnTo=${encodeURIComponent(page.searchParams.get('returnTo')!)}&embed=1`
    const opts = (await (await b.request(optionsUrl)).json()) as { fullPageUrl: string; panel: { redirect_type: string } }
    expect(cookieAttrs(b, 'wp_browser')).toMatch(/SameSite=None/i)
    // The QR panel must not take the host page away: the frame follows the code itself.
    expect(opts.panel.redirect_type).toBe('callback')
    const top = (await (await b.request(`${embedding.appUrl}/api/auth/login-options?returnTo=%2F`)).json()) as { panel: { redirect_type: string } }
    expect(top.panel.redirect_type).toBe('top')
    const full = new URL(opts.fullPageUrl)
    full.searchParams.set('sandbox_userid', 'lisi')
    const { url } = await b.go(full.toString())
    expect(url).toBe(`${embedding.appUrl}/me?embed=1`)
    expect(cookieAttrs(b, 'wp_sid')).toMatch(/SameSite=None/i)
  })
})

describe('cross-site requests', () => {
  async function embeddedSession(): Promise<TestBrowser> {
    const b = new TestBrowser(UA.wecomMobile)
    await b.go(`${embedding.appUrl}/auth/login?embed=1`, signedInAs('lisi'))
    expect((await b.request(`${embedding.appUrl}/api/me`)).status).toBe(200)
    return b
  }
  const post = (b: TestBrowser, path: string, headers: Record<string, string>) => b.request(`${embedding.appUrl}${path}`, { method: 'POST', headers })

  it('refuses unsafe requests from a foreign origin, and the session lives on', async () => {
    const b = await embeddedSession()
    const refused: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }]
    for (const headers of refused) {
      const res = await post(b, '/api/auth/logout', headers)
      expect(res.status, JSON.stringify(headers)).toBe(403)
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/cross-site request refused/i) } })
    }
    expect((await b.request(`${embedding.appUrl}/api/me`)).status).toBe(200)
    // Reading is not guarded (SameSite does not guard it either), nor is the Bearer-key host API.
    expect((await b.request(`${embedding.appUrl}/api/me`, { headers: { origin: 'https://evil.example' } })).status).toBe(200)
    const host = await post(b, '/api/host/todos', { origin: 'https://evil.example', 'content-type': 'application/json' })
    expect(host.status).toBe(401)
  })

  it('accepts them from an EMBED_ORIGIN, from the app itself, and from clients that are not browsers', async () => {
    expect((await post(await embeddedSession(), '/api/auth/logout', { origin: HOST_APP })).status).toBe(204)
    const self = await embeddedSession()
    expect((await post(self, '/api/auth/logout', { origin: new URL(embedding.appUrl).origin })).status).toBe(204)
    expect((await self.request(`${embedding.appUrl}/api/me`)).status).toBe(401)
    expect((await post(await embeddedSession(), '/api/auth/logout', { 'sec-fetch-site': 'same-origin' })).status).toBe(204)
    expect((await post(await embeddedSession(), '/api/auth/logout', {})).status).toBe(204)
  })

  it('accepts an EMBED_ORIGIN only where it is configured', async () => {
    // Past the guard, an unknown path is a 404; refused by it, a 403.
    expect((await fetch(`${embedding.appUrl}/api/nope`, { method: 'POST', headers: { origin: HOST_APP } })).status).toBe(404)
    expect((await fetch(`${plain.appUrl}/api/nope`, { method: 'POST', headers: { origin: HOST_APP } })).status).toBe(403)
    expect((await fetch(`${plain.appUrl}/api/nope`, { method: 'POST', headers: { origin: new URL(plain.appUrl).origin } })).status).toBe(404)
  })
})

// Last: it idles the stacks for a while (their kept-alive connections may be closed meanwhile).
describe('start-up', () => {
  it('warns at start when embedding is configured on plain http outside localhost', async () => {
    const db = await pgliteTestDb()
    const logsFor = async (publicUrl: string) => {
      const loaded = loadConfig({ PUBLIC_URL: publicUrl, EMBED_ORIGINS: HOST_APP }, mkdtempSync(join(tmpdir(), 'embed-')))
      if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
      const logs: string[] = []
      createApp(await createDeps(loaded.config, { db, log: createLogger({ level: 'debug', write: (l) => logs.push(l) }) }))
      return logs.join('\n')
    }
    try {
      expect(await logsFor('http://portal.example.com')).toMatch(/EMBED_ORIGINS.*https/)
      expect(await logsFor('https://portal.example.com')).not.toMatch(/EMBED_ORIGINS/)
      expect(await logsFor('http://localhost:3000')).not.toMatch(/EMBED_ORIGINS/)
    } finally {
      await db.close()
    }
  })
})
