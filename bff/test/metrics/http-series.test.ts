import { Counter, Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createHttpSeries } from '../../src/metrics/http-series'

const requests = { name: 'portal_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status.' }
const duration = { name: 'portal_http_request_duration_seconds', help: 'Time to answer an HTTP request, by method and route pattern.', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] }

/** The same series as prom-client's own Counter and Histogram: what scrapers and dashboards were built on. */
function reference() {
  const registry = new Registry()
  const counter = new Counter({ ...requests, labelNames: ['method', 'route', 'status'], registers: [registry] })
  const histogram = new Histogram({ ...duration, labelNames: ['method', 'route'], registers: [registry] })
  return {
    registry,
    observe(method: string, route: string, status: number, seconds: number) {
      counter.inc({ method, route, status: String(status) })
      histogram.observe({ method, route }, seconds)
    },
  }
}

function fast() {
  const registry = new Registry()
  return { registry, ...createHttpSeries({ registers: [registry], requests, duration }) }
}

// Every bucket edge, between edges, above the last, zero; routes with characters the text format escapes.
const observations: [string, string, number, number][] = [
  ['GET', '/api/me', 200, 0.0012],
  ['GET', '/api/me', 200, 0.005],
  ['GET', '/api/todos', 200, 0.0051],
  ['GET', '/api/me', 401, 0],
  ['POST', '/api/host/todos', 201, 0.1],
  ['GET', '/api/directory/members/:userid', 404, 30],
  ['GET', '/api/directory/members/:userid', 200, 31.5],
  ['OTHER', 'unmatched', 404, 2.4999],
  ['GET', '/odd/"quoted"\\back\nline', 500, 0.75],
  ...duration.buckets.map((b, i): [string, string, number, number] => ['PATCH', '/api/host/todos/:externalId', 200 + (i % 3), b + 1e-9]),
]

describe('HTTP series', () => {
  it('read exactly as prom-client\'s Counter and Histogram, as text and as JSON', async () => {
    const a = reference()
    const b = fast()
    for (const o of observations) {
      a.observe(...o)
      b.observe(...o)
    }
    const text = await b.registry.metrics()
    expect(text).toBe(await a.registry.metrics())
    expect(text).toContain('portal_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/me"} 3')
    expect(await b.registry.getMetricsAsJSON()).toEqual(await a.registry.getMetricsAsJSON())
  })

  it('start again from nothing when the registry is reset, and have no lines before a request', async () => {
    const a = reference()
    const b = fast()
    expect(await b.registry.metrics()).toBe(await a.registry.metrics())
    for (const o of observations) b.observe(...o)
    b.registry.resetMetrics()
    a.observe('GET', '/api/me', 200, 0.002)
    b.observe('GET', '/api/me', 200, 0.002)
    expect(await b.registry.metrics()).toBe(await a.registry.metrics())
  })
})
