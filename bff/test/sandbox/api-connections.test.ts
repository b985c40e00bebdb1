import { request, Agent } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSandbox, SANDBOX_DEFAULTS } from '../../src/sandbox/index'
import { TRUSTED } from './helpers'

const sandbox = createSandbox({ trustedDomain: TRUSTED })
let server: ServerType
let port = 0
beforeAll(async () => {
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: sandbox.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const GETTOKEN = `/cgi-bin/gettoken?corpid=${SANDBOX_DEFAULTS.corpId}&corpsecret=${SANDBOX_DEFAULTS.secret}`
function get(agent: Agent, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve(body))
    })
      .on('error', reject)
      .end()
  })
}
const stats = async () => JSON.parse(await get(new Agent(), '/sandbox/admin/stats')) as { apiConnections: { open: number; peak: number; opened: number } }

describe('sandbox: API connections in its stats', () => {
  it('counts the connections that carried API calls, the most open at once, and starts again at reset', async () => {
    const one = new Agent({ keepAlive: true, maxSockets: 1 })
    for (let i = 0; i < 3; i++) await get(one, GETTOKEN)
    expect((await stats()).apiConnections).toEqual({ open: 1, peak: 1, opened: 1 })

    const many = new Agent({ keepAlive: true })
    await Promise.all(Array.from({ length: 5 }, () => get(many, GETTOKEN)))
    const after = (await stats()).apiConnections
    expect(after.opened).toBe(6)
    expect(after.peak).toBeGreaterThanOrEqual(5)

    one.destroy()
    many.destroy()
    // The server sees each close a moment later.
    while ((await stats()).apiConnections.open > 0) await new Promise((r) => setTimeout(r, 10))
    await fetch(`http://127.0.0.1:${port}/sandbox/admin/reset`, { method: 'POST' })
    expect((await stats()).apiConnections).toEqual({ open: 0, peak: 0, opened: 0 })
  })
})
