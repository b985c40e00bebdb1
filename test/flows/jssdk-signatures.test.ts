import { createHash } from 'node:crypto'
import { apiErrorSchema, jssdkSignaturesSchema, type JssdkSignatures } from '@portal/shared'
import { SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex')

/** What WeCom's client computes for a page (https://developer.work.weixin.qq.com/document/path/90506). */
function expectSigned(sig: { timestamp: number; nonceStr: string; signature: string }, ticket: string, pageUrl: string) {
  expect(sig.signature).toBe(sha1(`jsapi_ticket=${ticket}&noncestr=${sig.nonceStr}&timestamp=${sig.timestamp}&url=${pageUrl.split('#')[0]}`))
}

async function signedIn(stack: Stack, userid = 'zhangsan'): Promise<TestBrowser> {
  const b = new TestBrowser(UA.wecomMobile)
  await b.go(`${stack.appUrl}/auth/login`, signedInAs(userid))
  return b
}

async function sandboxTickets(stack: Stack): Promise<{ corp: string; agent: string }> {
  const body = (await (await fetch(`${stack.sandboxUrl}/sandbox/admin/tickets`)).json()) as { current: Record<string, { ticket: string } | null> }
  return { corp: body.current.corp!.ticket, agent: body.current.agent_config!.ticket }
}

const signaturesUrl = (stack: Stack, url?: string) => `${stack.appUrl}/api/jssdk/signatures${url === undefined ? '' : `?url=${encodeURIComponent(url)}`}`

async function errorOf(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/json/)
  return apiErrorSchema.parse(await res.json()).error
}

describe('GET /api/jssdk/signatures', () => {
  let stack: Stack
  let b: TestBrowser
  beforeAll(async () => {
    stack = await startStack()
    b = await signedIn(stack)
  })
  afterAll(() => stack.close())

  describe('refusals', () => {
    it('needs a signed-in member', async () => {
      const res = await fetch(signaturesUrl(stack, `${stack.appUrl}/`))
      expect(res.status).toBe(401)
      expect((await errorOf(res)).code).toBe('unauthenticated')
    })

    it('needs the url', async () => {
      const res = await b.request(signaturesUrl(stack))
      expect(res.status).toBe(400)
      expect(await errorOf(res)).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/url parameter is required/) })
    })

    it('refuses a page on another origin, with a hint for the admin', async () => {
      for (const url of ['https://evil.example/', `${stack.appUrl.replace('http:', 'https:')}/`, `${stack.appUrl.replace('localhost', '127.0.0.1')}/`]) {
        const res = await b.request(signaturesUrl(stack, url))
        expect(res.status, url).toBe(400)
        const err = await errorOf(res)
        expect(err.message).toMatch(/Only pages of this app/)
        expect(err.hint).toMatch(/PUBLIC_URL/)
      }
    })

    it('ignores X-Forwarded-Proto/-Host unless TRUST_PROXY is set', async () => {
      const res = await b.request(signaturesUrl(stack, 'https://portal.example.com/'), {
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'portal.example.com' },
      })
      expect(res.status).toBe(400)
    })

    it('tickets never reach the browser or the logs', async () => {
      const res = await b.request(signaturesUrl(stack, `${stack.appUrl}/me`))
      const text = await res.text()
      const { corp, agent } = await sandboxTickets(stack)
      for (const ticket of [corp, agent]) {
        expect(text).not.toContain(ticket)
        expect(stack.logs.join('\n')).not.toContain(ticket)
      }
      expect(stack.logs.join('\n')).toContain('wecom jsapi ticket fetched')
    })
  })

  describe('signing', () => {
    it('signs config with the corp ticket and agentConfig with the app ticket, for the page minus its fragment', async () => {
      const page = `${stack.appUrl}/me?tab=session&q=${encodeURIComponent('张三')}`
      const res = await b.request(signaturesUrl(stack, `${page}#section`))
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      const body: JssdkSignatures = jssdkSignaturesSchema.parse(await res.json())
      expect(body).toMatchObject({ corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId })
      const { corp, agent } = await sandboxTickets(stack)
      expectSigned(body.config, corp, page)
      expectSigned(body.agentConfig, agent, page)
      expect(Math.abs(body.config.timestamp - Date.now() / 1000)).toBeLessThan(60)
    })

    it('many page loads cost one ticket fetch of each kind', async () => {
      await Promise.all(Array.from({ length: 100 }, (_, i) => b.request(signaturesUrl(stack, `${stack.appUrl}/?i=${i}`))))
      const stats = (await (await fetch(`${stack.sandboxUrl}/sandbox/admin/stats`)).json()) as { calls: Record<string, number> }
      expect(stats.calls['/cgi-bin/get_jsapi_ticket']).toBe(1)
      expect(stats.calls['/cgi-bin/ticket/get']).toBe(1)
    })
  })
})

describe('GET /api/jssdk/signatures: WeCom refusing the ticket', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack()
  })
  afterAll(() => stack.close())

  it('answers 502 wecom_error with the errcode and a hint, like every WeCom failure', async () => {
    const b = await signedIn(stack)
    await fetch(`${stack.sandboxUrl}/sandbox/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/cgi-bin/ticket/get', errcode: 42012, times: 1 }),
    })
    const res = await b.request(signaturesUrl(stack, `${stack.appUrl}/`))
    expect(res.status).toBe(502)
    expect(await errorOf(res)).toMatchObject({ code: 'wecom_error', errcode: 42012, hint: expect.stringMatching(/agent_config/) })
    expect(stack.logs.join('\n')).toMatch(/"errcode":42012/)
  })
})

describe('behind a trusted reverse proxy (TRUST_PROXY=true) under /portal', () => {
  let stack: Stack
  let b: TestBrowser
  beforeAll(async () => {
    stack = await startStack({ prefix: '/portal', env: { TRUST_PROXY: 'true' } })
    b = await signedIn(stack)
  })
  afterAll(() => stack.close())

  it('signs the scheme and host the proxy reports for this request', async () => {
    const page = 'https://portal.example.com/portal/me'
    const res = await b.request(signaturesUrl(stack, page), { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'portal.example.com' } })
    expect(res.status).toBe(200)
    const body = jssdkSignaturesSchema.parse(await res.json())
    expectSigned(body.agentConfig, (await sandboxTickets(stack)).agent, page)
  })

  it('still only under the path prefix, and only for the origin of this very request', async () => {
    const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'portal.example.com' }
    expect((await b.request(signaturesUrl(stack, 'https://portal.example.com/other'), { headers: proxied })).status).toBe(400)
    expect((await b.request(signaturesUrl(stack, 'https://elsewhere.example.com/portal/'), { headers: proxied })).status).toBe(400)
    // PUBLIC_URL itself stays signable.
    expect((await b.request(signaturesUrl(stack, `${stack.appUrl}/`))).status).toBe(200)
  })
})
