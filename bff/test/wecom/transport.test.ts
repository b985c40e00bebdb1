import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTokenCache, createWeComClient, WeComError, WeComTransportError } from '../../src/wecom'
import { caught } from './fake-wecom'

// The default transport (undici's `request` over the pool) on real sockets: what a WeCom call
// must see of HTTP whatever the transport underneath — statuses, redirects, bodies, refusals.
const SECRET = 'transport-test-secret-0123456789'
let server: Server
let seen: Array<{ method: string; path: string; type?: string; body: string }> = []
let reply: (req: IncomingMessage, res: ServerResponse) => void

const json = (res: ServerResponse, body: object) => res.setHeader('content-type', 'application/json').end(JSON.stringify(body))

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      seen.push({ method: req.method!, path: (req.url ?? '').split('?')[0]!, type: req.headers['content-type'], body })
      if (req.url?.startsWith('/cgi-bin/gettoken')) return json(res, { errcode: 0, access_token: 'transport-test-token-0001', expires_in: 7200 })
      reply(req, res)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
})
afterAll(() => {
  server.closeAllConnections()
  return new Promise<void>((r) => server.close(() => r()))
})
beforeEach(() => {
  seen = []
  reply = (_req, res) => json(res, { errcode: 0, errmsg: 'ok', userid: 'zhangsan', name: '张三', department: [1], status: 1 })
})

const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const client = (opts: { apiBase?: string; overallTimeoutMs?: number } = {}) =>
  createWeComClient({ apiBase: opts.apiBase ?? base(), corpId: 'ww1', secret: SECRET, tokens: createTokenCache(), timeoutMs: 5_000, overallTimeoutMs: opts.overallTimeoutMs })

describe('the default transport on real sockets', () => {
  it('an HTTP error is reported with its status and reason, its body unread; the next call works', async () => {
    const wecom = client()
    reply = (_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>echo of /cgi-bin/user/get?access_token=transport-test-token-0001</html>')
    const err = (await caught(wecom.getUser('zhangsan'))) as WeComTransportError
    expect(err).toBeInstanceOf(WeComTransportError)
    expect(err).toMatchObject({ failure: 'http', status: 502, path: '/cgi-bin/user/get' })
    expect(err.message).toContain('HTTP 502 Bad Gateway')
    expect(err.message).not.toContain('echo')
    reply = (_req, res) => json(res, { errcode: 0, errmsg: 'ok', userid: 'lisi', name: '李四', department: [1], status: 1 })
    expect((await wecom.getUser('lisi')).name).toBe('李四')
  })

  it('a redirect is not followed: WeCom answers where it is asked', async () => {
    const wecom = client()
    reply = (_req, res) => res.writeHead(302, { location: '/login' }).end()
    const err = (await caught(wecom.getUser('zhangsan'))) as WeComTransportError
    expect(err).toMatchObject({ failure: 'http', status: 302 })
    expect(seen.map((s) => s.path)).not.toContain('/login')
  })

  it('a body that is not JSON is a body failure; a WeCom errcode is a WeComError', async () => {
    const wecom = client()
    reply = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>portal</html>')
    expect(await caught(wecom.getUser('zhangsan'))).toMatchObject({ failure: 'body', status: 200 })
    reply = (_req, res) => json(res, { errcode: 60111, errmsg: 'userid not found' })
    const err = (await caught(wecom.getUser('nobody'))) as WeComError
    expect(err).toBeInstanceOf(WeComError)
    expect(err.errcode).toBe(60111)
  })

  it('POST sends the JSON body with its content type', async () => {
    const wecom = client()
    reply = (_req, res) => json(res, { errcode: 0, errmsg: 'ok', msgid: 'm1' })
    await wecom.post('/cgi-bin/message/send', { touser: '张三', msgtype: 'text', text: { content: '你好' } })
    const sent = seen.find((s) => s.path === '/cgi-bin/message/send')!
    expect(sent.method).toBe('POST')
    expect(sent.type).toBe('application/json; charset=utf-8')
    expect(JSON.parse(sent.body)).toEqual({ touser: '张三', msgtype: 'text', text: { content: '你好' } })
  })

  it('a refused connection is a network failure naming the cause', async () => {
    // A port that was just free: nothing listens on it.
    const free = createServer()
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r))
    const port = (free.address() as AddressInfo).port
    await new Promise<void>((r) => free.close(() => r()))
    const err = (await caught(client({ apiBase: `http://127.0.0.1:${port}` }).accessToken())) as WeComTransportError
    expect(err).toBeInstanceOf(WeComTransportError)
    expect(err.failure).toBe('network')
    expect(err.message).toMatch(/ECONNREFUSED/)
    expect(err.message).not.toContain(SECRET)
  })

  it('the overall deadline ends a call whose answer never comes', async () => {
    const wecom = client({ overallTimeoutMs: 100 })
    await wecom.accessToken()
    reply = () => {}
    const err = (await caught(wecom.getUser('zhangsan'))) as WeComTransportError
    expect(err).toMatchObject({ failure: 'timeout' })
    expect(err.message).toMatch(/timed out after 100 ms overall/)
  })
})
