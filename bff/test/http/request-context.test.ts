import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/app-env'
import type { Db } from '../../src/db'
import { requestContext, setRequestUser } from '../../src/http/request-context'
import { createLogger } from '../../src/log'
import { createMetrics } from '../../src/metrics'
import { pgliteTestDb } from '../helpers/test-db'

const GENERATED = /^[0-9a-f]{8}-[0-9a-z]+$/

let db: Db
beforeAll(async () => {
  db = await pgliteTestDb()
})
afterAll(() => db.close())

function setup() {
  const lines: Record<string, unknown>[] = []
  const log = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) })
  const metrics = createMetrics({ db, now: Date.now })
  let release: () => void = () => {}
  const gate = new Promise<void>((r) => (release = r))
  const app = new Hono<AppEnv>()
    .use('*', requestContext({ log, metrics }))
    .get('/work', async (c) => {
      log.info('before await')
      await new Promise((r) => setImmediate(r))
      setRequestUser('lisi')
      log.warn('after await', { step: 2 })
      return c.text('ok')
    })
    .get('/slow/:n', async (c) => {
      await gate
      log.info('slow done', { n: c.req.param('n') })
      return c.text('ok')
    })
    .get('/members/:userid', (c) => c.text(c.req.param('userid')))
    .get('/healthz', (c) => c.text('ok'))
    .get('/boom', () => {
      throw new Error('boom')
    })
  app.onError((_e, c) => c.text('failed', 500))
  return { app, lines, metrics, release, byMsg: (msg: string) => lines.filter((l) => l.msg === msg) }
}

/** A request whose X-Request-Id holds what `fetch` would refuse to send (CR, LF): as a lenient proxy or adapter might pass it. */
function withRawRequestId(url: string, id: string): Request {
  const req = new Request(url)
  const real = req.headers
  Object.defineProperty(req, 'headers', { value: { get: (n: string) => (n.toLowerCase() === 'x-request-id' ? id : real.get(n)), has: (n: string) => real.has(n) } })
  return req
}

describe('request context: one id for the request and every line it causes', () => {
  it('puts the same id in the lines a handler logs (across awaits), the request line and the response header', async () => {
    const { app, lines, byMsg } = setup()
    const res = await app.request('/work')
    const id = res.headers.get('x-request-id')!
    expect(id).toMatch(GENERATED)
    expect(lines.length).toBe(3)
    for (const l of lines) expect(l.requestId).toBe(id)
    // The userid is on every line once known, and on the request line.
    expect(byMsg('before await')[0]!.userid).toBeUndefined()
    expect(byMsg('after await')[0]).toMatchObject({ userid: 'lisi', step: 2 })
    expect(byMsg('request')[0]).toMatchObject({ level: 'info', method: 'GET', route: '/work', path: '/work', status: 200, userid: 'lisi' })
    expect(typeof byMsg('request')[0]!.ms).toBe('number')
  })

  it('keeps concurrent requests apart', async () => {
    const { app, byMsg, release } = setup()
    const a = app.request('/slow/1', { headers: { 'x-request-id': 'req-a' } })
    const b = app.request('/slow/2', { headers: { 'x-request-id': 'req-b' } })
    await new Promise((r) => setImmediate(r))
    release()
    await Promise.all([a, b])
    const done = byMsg('slow done')
    expect(done.find((l) => l.n === '1')!.requestId).toBe('req-a')
    expect(done.find((l) => l.n === '2')!.requestId).toBe('req-b')
  })

  it('keeps a sane incoming X-Request-Id (a proxy\'s)', async () => {
    const { app, byMsg } = setup()
    const id = '5f0e8a3c9b1d4e2fa6b7c8d9e0f1a2b3'
    const res = await app.request('/work', { headers: { 'x-request-id': id } })
    expect(res.headers.get('x-request-id')).toBe(id)
    expect(byMsg('request')[0]!.requestId).toBe(id)
  })

  it('replaces a malicious X-Request-Id: newlines forging a log line, 10 kB, JSON and spaces', async () => {
    const forged = '{"level":"error","msg":"forged"}'
    const attacks = [`ok\n${forged}`, `ok\r\n${forged}`, 'a'.repeat(10_240), `x" ,"level":"error`, 'has space', 'x'.repeat(65), '']
    for (const attack of attacks) {
      const { app, lines } = setup()
      const res = await app.request(withRawRequestId('http://portal.test/work', attack))
      const id = res.headers.get('x-request-id')!
      expect(id, JSON.stringify(attack.slice(0, 40))).toMatch(GENERATED)
      for (const l of lines) {
        expect(l.requestId).toBe(id)
        expect(l.msg).not.toBe('forged')
        expect(JSON.stringify(l)).not.toContain('aaaaaaaaaa')
      }
    }
  })

  it('never logs the query string (OAuth codes, states, tickets)', async () => {
    const { app, lines } = setup()
    await app.request('/work?code=CODE0123456789&state=STATE0123456789&ticket=TICKET0123')
    const text = lines.map((l) => JSON.stringify(l)).join('\n')
    expect(text).not.toMatch(/CODE0123456789|STATE0123456789|TICKET0123/)
    expect(lines.find((l) => l.msg === 'request')!.path).toBe('/work')
  })

  it('labels by route pattern, never the raw path (bounded cardinality)', async () => {
    const { app, metrics, byMsg } = setup()
    for (const u of ['zhangsan', 'lisi', 'x'.repeat(300)]) await app.request(`/members/${u}`)
    const text = await metrics.text()
    expect(text).toContain('portal_http_requests_total{method="GET",route="/members/:userid",status="200"} 3')
    expect(text).not.toContain('zhangsan')
    // The logged path is cut short.
    expect((byMsg('request')[2]!.path as string).length).toBeLessThanOrEqual(201)
  })

  it('logs a handler error as its 500, and health probes at debug only', async () => {
    const { app, byMsg, metrics } = setup()
    expect((await app.request('/boom')).status).toBe(500)
    await app.request('/healthz')
    const [boom, probe] = byMsg('request')
    expect(boom).toMatchObject({ level: 'info', route: '/boom', status: 500 })
    expect(probe).toMatchObject({ level: 'debug', route: '/healthz', status: 200 })
    expect(await metrics.text()).toContain('portal_http_requests_total{method="GET",route="/boom",status="500"} 1')
  })
})
