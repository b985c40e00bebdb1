import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTokenCache, createWeComClient, isTransient, WeComTransportError } from '../../src/wecom'
import { WECOM_CONNECTIONS } from '../../src/wecom/pool'
import { caught } from './fake-wecom'

// A loopback WeCom stand-in that answers user/get after `delayMs` (or never), to see the default
// pool on real sockets.
const SECRET = 'pool-test-secret-0123456789'
let server: Server
let sockets = new Set<Socket>()
let delayMs = 0
let silent = false

const answer = (res: ServerResponse, body: object) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ errcode: 0, errmsg: 'ok', ...body }))

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    sockets.add(req.socket)
    if (req.url?.startsWith('/cgi-bin/gettoken')) return answer(res, { access_token: 'T', expires_in: 7200 })
    if (silent) return
    setTimeout(() => answer(res, { userid: 'zhangsan', name: 'Z', department: [1], status: 1 }), delayMs)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
})
afterAll(() => {
  server.closeAllConnections()
  return new Promise<void>((r) => server.close(() => r()))
})
beforeEach(() => {
  server.closeAllConnections()
  sockets = new Set()
  delayMs = 0
  silent = false
})

// Each test its own request timeout, so each gets its own pool (pools are per proxy and timeout).
const client = (timeoutMs: number) =>
  createWeComClient({ apiBase: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, corpId: 'ww1', secret: SECRET, tokens: createTokenCache(), timeoutMs })

describe('the default transport: a bounded keep-alive pool', () => {
  it('concurrent calls share at most WECOM_CONNECTIONS connections; time queued for one is not a timeout', async () => {
    const wecom = client(1_000)
    await wecom.accessToken()
    // 16 waves of 100 ms each: the last calls wait about 1.5 s for a connection, each takes 100 ms.
    delayMs = 100
    const waves = 16
    const t0 = performance.now()
    const users = await Promise.all(Array.from({ length: WECOM_CONNECTIONS * waves }, () => wecom.getUser('zhangsan')))
    expect(users.every((u) => u.userid === 'zhangsan')).toBe(true)
    expect(sockets.size).toBeLessThanOrEqual(WECOM_CONNECTIONS)
    // Guaranteed by the server's timers, so the queue really did outlast the request timeout.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(waves * delayMs)
  })

  it('a call that gets no answer times out after the request timeout, as a transient failure', async () => {
    const wecom = client(100)
    await wecom.accessToken()
    silent = true
    const err = (await caught(wecom.getUser('zhangsan'))) as WeComTransportError
    expect(err).toBeInstanceOf(WeComTransportError)
    expect(err).toMatchObject({ failure: 'timeout', path: '/cgi-bin/user/get' })
    expect(err.message).toMatch(/timed out after 100 ms$/)
    expect(isTransient(err)).toBe(true)
  })
})
