import { createDeps } from '@portal/bff/deps'
import { createLogger } from '@portal/bff/log'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { SESSION_SECRET, startStack, type Stack } from '../support/stack'

let stack: Stack
let admin: TestBrowser
beforeAll(async () => {
  stack = await startStack()
  admin = new TestBrowser(UA.wecomMobile)
  await admin.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
})
afterAll(() => stack.close())

type Line = Record<string, unknown>
const parsed = (from = 0): Line[] => stack.logs.slice(from).map((l) => JSON.parse(l) as Line)
const putSettings = (body: unknown) =>
  admin.request(`${stack.appUrl}/api/admin/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', origin: new URL(stack.appUrl).origin },
    body: JSON.stringify(body),
  })

describe('request logs', () => {
  it('a sign-in: every line it causes carries its request id; the request line has the userid, never the code', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    const from = stack.logs.length
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
    const callback = b.hops.find((h) => h.includes('/auth/callback'))!
    const code = new URL(callback).searchParams.get('code')!
    const lines = parsed(from)
    const signedIn = lines.find((l) => l.msg === 'signed in')!
    const id = signedIn.requestId as string
    expect(id).toBeTruthy()
    const ofCallback = lines.filter((l) => l.requestId === id)
    expect(ofCallback.find((l) => l.msg === 'request')).toMatchObject({ method: 'GET', route: '/auth/callback', path: '/auth/callback', status: 302, userid: 'lisi' })
    // The sign-in's other lines (WeCom calls, the member stored) share it; other requests have their own ids.
    expect(ofCallback.length).toBeGreaterThan(1)
    expect(new Set(lines.filter((l) => l.msg === 'request').map((l) => l.requestId)).size).toBe(lines.filter((l) => l.msg === 'request').length)
    expect(JSON.stringify(lines)).not.toContain(code)
    // Later requests of the session name the member.
    const from2 = stack.logs.length
    const res = await b.request(`${stack.appUrl}/api/me`)
    expect(parsed(from2).find((l) => l.msg === 'request')).toMatchObject({ route: '/api/me', status: 200, userid: 'lisi', requestId: res.headers.get('x-request-id') })
  })

  it('keeps a proxy\'s X-Request-Id, and replaces a 10 kB one', async () => {
    const proxied = await fetch(`${stack.appUrl}/api/me`, { headers: { 'x-request-id': 'nginx-0123abcd' } })
    expect(proxied.headers.get('x-request-id')).toBe('nginx-0123abcd')
    const from = stack.logs.length
    const huge = 'A'.repeat(10_240)
    const res = await fetch(`${stack.appUrl}/api/me`, { headers: { 'x-request-id': huge } })
    expect(res.status).toBe(401)
    const id = res.headers.get('x-request-id')!
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/)
    expect((await res.json()) as unknown).toMatchObject({ error: { requestId: id } })
    expect(stack.logs.slice(from).join('\n')).not.toContain('AAAAAAAAAA')
  })

  it('the level set in the console applies at once, audit-logged; a second instance follows', async () => {
    expect(stack.deps.log.level).toBe('debug')
    let res = await putSettings({ logLevel: 'loud' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { fields: Record<string, string> } }).error.fields.logLevel).toMatch(/debug, info, warn or error/)

    res = await putSettings({ logLevel: 'warn' })
    expect(res.status).toBe(200)
    expect(stack.deps.log.level).toBe('warn')
    const from = stack.logs.length
    await admin.request(`${stack.appUrl}/api/me`)
    expect(parsed(from).filter((l) => l.msg === 'request')).toEqual([])
    const [audit] = await stack.deps.db.query<{ actor: string; action: string; target: string }>("select actor, action, target from admin_audit where action = 'settings' order by id desc limit 1")
    expect(audit).toMatchObject({ actor: 'zhangsan', target: 'logLevel' })

    res = await putSettings({ logLevel: 'info' })
    expect(res.status).toBe(200)
    const from2 = stack.logs.length
    await admin.request(`${stack.appUrl}/api/me`)
    expect(parsed(from2).filter((l) => l.msg === 'request')).toHaveLength(1)

    // Another instance on the same database (started at its own LOG_LEVEL) follows at its next poll.
    const config = { ...structuredClone(stack.config), logLevel: 'error' as const }
    const other = await createDeps(config, { db: stack.deps.db, log: createLogger({ level: 'error', write: () => {} }) })
    await other.settings.apply()
    expect(other.log.level).toBe('info')
  })

  it('never logs secrets, cookies or codes, whatever a request carries', async () => {
    const from = stack.logs.length
    stack.deps.log.setLevel('debug')
    const b = new TestBrowser(UA.wecomMobile)
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('zhouba'))
    const sid = b.cookie('localhost', 'wp_sid')!.value
    await b.request(`${stack.appUrl}/api/me?ticket=TICKETVALUE0123&access_token=TOKENVALUE0123`, { headers: { authorization: 'Bearer BEARERVALUE0123' } })
    const text = stack.logs.slice(from).join('\n')
    expect(text).toContain('"route":"/api/me"')
    for (const secret of [sid, stack.config.wecom.secret, SESSION_SECRET, 'TICKETVALUE0123', 'TOKENVALUE0123', 'BEARERVALUE0123']) {
      expect(text).not.toContain(secret)
    }
    expect(text).not.toMatch(/wp_sid=|wp_browser=/)
  })
})
