import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
let member: TestBrowser
beforeAll(async () => {
  stack = await startStack({ env: { EMBED_ORIGINS: 'https://host.example.com' } })
  member = new TestBrowser(UA.wecomMobile)
  await member.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
  await stack.deps.readModel.current()
})
afterAll(() => stack.close())

const SECURITY = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy': "frame-ancestors 'self' https://host.example.com",
}

/** Over real HTTP (@hono/node-server): the hot endpoints build their headers apart from the rest. */
describe('response headers', () => {
  it('every answer, hot endpoint or not, failure or not, carries the security headers and its own request id', async () => {
    const ids = new Set<string>()
    const signedOut = new TestBrowser(UA.wecomMobile)
    const cases: [TestBrowser, string, number][] = [
      [signedOut, '/api/me', 401],
      [signedOut, '/api/todos', 401],
      [signedOut, '/api/directory/search?q=zh', 401],
      [member, '/api/directory/search?q=%00', 400],
      [member, '/api/todos?status=nope', 400],
      [member, '/api/nope', 404],
      [member, '/api/me', 200],
      [member, '/api/todos', 200],
      [member, '/api/directory/search?q=zh', 200],
      [member, '/api/app', 200],
      [member, '/api/directory/departments', 200],
      [member, '/healthz', 200],
      [signedOut, '/auth/login', 302],
    ]
    for (const [b, path, status] of cases) {
      const res = await b.request(`${stack.appUrl}${path}`)
      await res.arrayBuffer()
      expect(res.status, path).toBe(status)
      for (const [k, v] of Object.entries(SECURITY)) expect(res.headers.get(k), `${path} ${k}`).toBe(v)
      const id = res.headers.get('x-request-id')
      expect(id, path).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/)
      ids.add(id!)
    }
    expect(ids.size).toBe(cases.length)
  })

  it('the hot endpoints: their type, caching and a sane incoming request id kept', async () => {
    const expected: [string, string][] = [
      ['/api/me', 'no-store'],
      ['/api/todos', 'private, no-cache'],
      ['/api/directory/search?q=zh', 'private, no-cache'],
    ]
    for (const [path, cache] of expected) {
      const res = await member.request(`${stack.appUrl}${path}`, { headers: { 'x-request-id': 'proxy-req-1' } })
      expect(res.headers.get('content-type'), path).toBe('application/json')
      expect(res.headers.get('cache-control'), path).toBe(cache)
      expect(res.headers.get('x-request-id'), path).toBe('proxy-req-1')
      expect(Number(res.headers.get('content-length')), path).toBe((await res.arrayBuffer()).byteLength)
      const head = await member.request(`${stack.appUrl}${path}`, { method: 'HEAD' })
      expect(head.status, path).toBe(200)
      expect(head.headers.get('content-security-policy'), path).toBe(SECURITY['content-security-policy'])
    }
  })
})
