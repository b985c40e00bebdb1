import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenCache, createWeComClient } from '../../src/wecom'
import { wecomDispatcher } from '../../src/wecom/pool'

// Loopback only: a tiny WeCom stand-in and a CONNECT proxy, to prove the default transport really
// goes through the ProxyAgent (an injected fake fetch cannot show that).
let upstream: Server
let proxy: Server
let tunnels = 0
const port = (s: Server) => (s.address() as AddressInfo).port
const proxyUrl = () => `http://127.0.0.1:${port(proxy)}`

beforeAll(async () => {
  upstream = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/cgi-bin/gettoken') res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: 'T', expires_in: 7200 }))
    else res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', userid: 'zhangsan', name: 'Z', department: [1], status: 1 }))
  })
  proxy = createServer((_req, res) => res.writeHead(405).end())
  proxy.on('connect', (req, socket, head) => {
    tunnels++
    const [host, p] = (req.url ?? '').split(':')
    const target = connect(Number(p), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      target.write(head)
      target.pipe(socket).pipe(target)
    })
    target.on('error', () => socket.destroy())
    socket.on('error', () => target.destroy())
  })
  await Promise.all([upstream, proxy].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))))
})

afterAll(async () => {
  // The process-wide agent for this proxy keeps its tunnel open: closed first, or the proxy's
  // close waits on it (and the socket outlives the file).
  await wecomDispatcher(proxyUrl(), 10_000).destroy() // the client's default timeout
  await Promise.all([upstream, proxy].map((s) => new Promise((r) => s.close(r))))
})

describe('proxyUrl', () => {
  it('sends gettoken and API calls through the HTTP proxy', async () => {
    const client = createWeComClient({
      apiBase: `http://127.0.0.1:${port(upstream)}`,
      corpId: 'ww1',
      secret: 's',
      tokens: createTokenCache(),
      proxyUrl: proxyUrl(),
    })
    await expect(client.getUser('zhangsan')).resolves.toMatchObject({ userid: 'zhangsan' })
    expect(tunnels).toBeGreaterThan(0)
  })
})
