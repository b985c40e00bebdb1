import { mkdtempSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import type { Db } from '../../src/db'
import { DEFAULT_POOL_MAX } from '../../src/db/pool-size'
import { createLogger } from '../../src/log'
import { createMetrics } from '../../src/metrics'
import { serveMetrics } from '../../src/metrics/server'
import { describeEachDb, pgliteTestDb } from '../helpers/test-db'

const cwd = () => mkdtempSync(join(tmpdir(), 'metrics-cfg-'))
const log = createLogger({ level: 'error', write: () => {} })
const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

/** The value of one series in the exposition text, or undefined when absent. */
export function sample(text: string, series: string): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line?.slice(series.length + 1)
}

describe('metrics configuration: off the public surface', () => {
  it('has no metrics endpoint unless METRICS_PORT is set, and listens on the loopback by default', () => {
    const off = loadConfig({}, cwd())
    expect(off.ok && off.config.metrics).toEqual({ port: undefined, host: '127.0.0.1' })
    const on = loadConfig({ METRICS_PORT: '9464' }, cwd())
    expect(on.ok && on.config.metrics).toEqual({ port: 9464, host: '127.0.0.1' })
  })

  it('refuses the app\'s (or the sandbox\'s) port, a bad port and a bad host', () => {
    for (const [env, problem] of [
      [{ PORT: '3000', METRICS_PORT: '3000' }, /^METRICS_PORT: must differ from PORT/],
      [{ METRICS_PORT: '3100' }, /^METRICS_PORT: must differ from PORT and SANDBOX_PORT/],
      [{ METRICS_PORT: 'ninety' }, /^METRICS_PORT: expected a whole number/],
      [{ METRICS_PORT: '9464', METRICS_HOST: 'a b/c' }, /^METRICS_HOST: expected an IP address/],
    ] as const) {
      const r = loadConfig(env, cwd())
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.problems.join('\n')).toMatch(problem)
    }
  })
})

describe('metrics server', () => {
  async function serve(db: Db) {
    const metrics = createMetrics({ db, now: Date.now })
    const server = await serveMetrics(metrics, { port: 0, host: '127.0.0.1', log })
    cleanup.push(() => new Promise((r) => server.close(r)))
    const { address, port } = server.address() as AddressInfo
    return { metrics, address, base: `http://127.0.0.1:${port}` }
  }

  it('answers GET /metrics on its own port, bound where told, and nothing else', async () => {
    const db = await pgliteTestDb()
    cleanup.push(() => db.close())
    const { base, address, metrics } = await serve(db)
    expect(address).toBe('127.0.0.1')
    metrics.signIn('ok')
    const res = await fetch(`${base}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await res.text()
    expect(sample(text, 'portal_sign_ins_total{outcome="ok"}')).toBe('1')
    expect(sample(text, 'portal_metrics_db_up')).toBe('1')
    expect(sample(text, 'portal_outbox_pending')).toBe('0')
    expect(sample(text, 'portal_db_pool_waiting')).toBe('0')
    for (const [method, path] of [['GET', '/'], ['GET', '/api/me'], ['POST', '/metrics'], ['GET', '/metrics/../x']]) {
      expect((await fetch(`${base}${path}`, { method })).status, `${method} ${path}`).toBe(404)
    }
  })

  it('keeps each instance\'s registry apart (several apps in one process)', async () => {
    const db = await pgliteTestDb()
    cleanup.push(() => db.close())
    const a = createMetrics({ db, now: Date.now })
    const b = createMetrics({ db, now: Date.now })
    a.signIn('no_role')
    expect(sample(await a.text(), 'portal_sign_ins_total{outcome="no_role"}')).toBe('1')
    expect(sample(await b.text(), 'portal_sign_ins_total{outcome="no_role"}')).toBeUndefined()
  })

  it('still answers when the database is down: the queue gauges read NaN (prom-client writes Nan) and db_up 0', async () => {
    const db = await pgliteTestDb()
    await db.close()
    const text = await createMetrics({ db, now: Date.now }).text()
    expect(sample(text, 'portal_metrics_db_up')).toBe('0')
    expect(sample(text, 'portal_outbox_pending')).toBe('Nan')
    expect(sample(text, 'portal_callback_inbox_lag_seconds')).toBe('Nan')
    expect(sample(text, 'portal_callback_inbox_parked')).toBe('Nan')
  })

  it('answers within its bound when the database hangs, and does not pile up queries', async () => {
    let queries = 0
    let answer: () => void = () => {}
    const hanging = new Promise<never[]>((r) => (answer = () => r([])))
    const db = { kind: 'postgres', query: () => (queries++, hanging), stats: () => ({ total: 10, idle: 0, max: 10, waiting: 7 }) } as unknown as Db
    const metrics = createMetrics({ db, now: Date.now, collectTimeoutMs: 50 })
    const started = performance.now()
    const [first, second] = await Promise.all([metrics.text(), metrics.text()])
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(sample(first, 'portal_metrics_db_up')).toBe('0')
    expect(sample(second, 'portal_outbox_pending')).toBe('Nan')
    // The pool gauges need no query: they show the exhaustion the other gauges cannot.
    expect(sample(first, 'portal_db_pool_waiting')).toBe('7')
    expect(sample(first, 'portal_db_pool_connections{state="idle"}')).toBe('0')
    expect(queries).toBe(1)
    answer()
  })
})

describeEachDb('metrics: database pool', (freshDb) => {
  it('reports the pool (PostgreSQL: total, idle, max; both: waiting) and the queues', async () => {
    const db = await freshDb()
    cleanup.push(() => db.close())
    const text = await createMetrics({ db, now: Date.now }).text()
    expect(sample(text, 'portal_metrics_db_up')).toBe('1')
    expect(sample(text, 'portal_db_pool_waiting')).toBe('0')
    if (db.kind === 'postgres') {
      expect(Number(sample(text, 'portal_db_pool_connections{state="total"}'))).toBeGreaterThanOrEqual(1)
      expect(sample(text, 'portal_db_pool_connections{state="max"}')).toBe(String(DEFAULT_POOL_MAX))
    } else expect(sample(text, 'portal_db_pool_connections{state="total"}')).toBeUndefined()
  })
})
