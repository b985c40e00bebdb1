import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import { SESSION_SECRET, startStack, type Stack } from '../support/stack'

const SECRET = 'Grep-Me-If-You-Can-Corp-Secret-000000000001'
const DIST = join(import.meta.dirname, '../../web/dist')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]))
}

let stack: Stack
const bodies: string[] = []
beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'debug', WECOM_SECRET: SECRET }, sandbox: { secret: SECRET } })
  // Exercise success and failure paths so their log lines exist: sign-in, token expiry and
  // revocation (refetch + retry), a blocked IP, a wrong secret.
  const send = (path: string, body: unknown) => fetch(`${stack.sandboxUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const b = new TestBrowser(UA.wecomMobile)
  await b.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
  await send('/sandbox/admin/tokens/revoke', {})
  await new TestBrowser(UA.wecomMobile).go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
  await send('/sandbox/admin/settings', { ipAllowlist: [] })
  await new TestBrowser(UA.wecomMobile).go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
  await send('/sandbox/admin/settings', { ipAllowlist: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] })
  for (const path of ['/api/me', '/api/app', '/api/auth/login-options?returnTo=/']) bodies.push(await (await b.request(`${stack.appUrl}${path}`)).text())
})
afterAll(() => stack.close())

describe('secrets stay in the BFF', () => {
  it('the sandbox really issued tokens and the BFF really logged', () => {
    expect(stack.sandbox.state.tokens.size).toBeGreaterThanOrEqual(2)
    expect(stack.logs.length).toBeGreaterThan(3)
    expect(stack.logs.join('\n')).toContain('60020')
  })

  it('logs contain neither the corp secret nor any access_token', () => {
    const logs = stack.logs.join('\n')
    expect(logs).not.toContain(SECRET)
    expect(logs).not.toContain(encodeURIComponent(SECRET))
    for (const token of stack.sandbox.state.tokens.keys()) expect(logs).not.toContain(token)
  })

  it('responses to the browser contain neither', () => {
    const all = bodies.join('\n')
    expect(all).toContain('zhangsan')
    expect(all).not.toContain(SECRET)
    for (const token of stack.sandbox.state.tokens.keys()) expect(all).not.toContain(token)
  })

  it('the built web bundle holds no secret, token or server-side WeCom call', () => {
    expect(existsSync(join(DIST, 'index.html')), 'web/dist is missing: `pnpm test` builds it first').toBe(true)
    // The admin console names env vars in its help text (SESSION_SECRET, WECOM_SECRET): names are
    // fine, reading them is not, so look for env access rather than the words.
    const needles = [SECRET, SANDBOX_DEFAULTS.secret, SESSION_SECRET, 'corpsecret', '/cgi-bin/', 'process.env.SESSION_SECRET', 'import.meta.env.SESSION_SECRET']
    const hits = filesUnder(DIST).flatMap((f) => {
      const text = readFileSync(f, 'utf8')
      return needles.filter((n) => text.includes(n)).map((n) => `${f.slice(DIST.length)}: ${n}`)
    })
    expect(hits).toEqual([])
  })
})
