import type { Metric, Registry } from 'prom-client'

/**
 * The two per-request series (`portal_http_requests_total`, `portal_http_request_duration_seconds`)
 * as plain numbers per label set. prom-client's `inc` and `observe` check and hash their labels on
 * every call, children included (≈ 4 µs a request on the 2-core bench machine, where a whole
 * hello-world request costs ≈ 60 µs); here a request costs a Map lookup and a few additions. The
 * registry reads these as it reads its own Counter and Histogram: same lines, same order (a test
 * compares them with prom-client's).
 */
export interface HttpSeries {
  observe(method: string, route: string, status: number, seconds: number): void
}

interface RequestCell {
  labels: { method: string; route: string; status: string }
  value: number
}
interface DurationCell {
  labels: { method: string; route: string }
  /** Observations per bucket (not cumulative); those above every bound are only in `count`. */
  counts: number[]
  sum: number
  count: number
  /** This method and route's request counts by status. */
  statuses: Map<number, RequestCell>
}

const SUM = 'sum' as const

export function createHttpSeries(o: { registers: Registry[]; requests: { name: string; help: string }; duration: { name: string; help: string; buckets: number[] } }): HttpSeries {
  // Looked up by route, then method (the same string objects on every request: their hashes are
  // cached), then status; listed in the order first seen, as prom-client lists its label sets.
  const byRoute = new Map<string, Map<string, DurationCell>>()
  const requests: RequestCell[] = []
  const durations: DurationCell[] = []
  const bounds = [...o.duration.buckets].sort((a, b) => a - b)

  const counter = {
    name: o.requests.name,
    help: o.requests.help,
    type: 'counter',
    aggregator: SUM,
    get: async () => ({ name: counter.name, help: counter.help, type: counter.type, aggregator: SUM, values: requests.map((c) => ({ value: c.value, labels: c.labels })) }),
    reset: () => {
      byRoute.clear()
      requests.length = 0
      durations.length = 0
    },
  }

  const bucketName = `${o.duration.name}_bucket`
  /** Prometheus text wants the route labels after `le`, as prom-client's Histogram writes them. */
  const durationValues = () =>
    durations.flatMap((d) => {
      let acc = 0
      return [
        ...bounds.map((le, i) => ({ labels: { le }, sharedLabels: d.labels, value: (acc += d.counts[i]!), metricName: bucketName, exemplar: null })),
        { labels: { le: '+Inf' }, sharedLabels: d.labels, value: d.count, metricName: bucketName, exemplar: null },
        { labels: {}, sharedLabels: d.labels, value: d.sum, metricName: `${o.duration.name}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: d.labels, value: d.count, metricName: `${o.duration.name}_count`, exemplar: undefined },
      ]
    })
  const histogram = {
    name: o.duration.name,
    help: o.duration.help,
    type: 'histogram',
    aggregator: SUM,
    getForPromString: async () => ({ name: histogram.name, help: histogram.help, type: histogram.type, aggregator: SUM, values: durationValues() }),
    // JSON (getMetricsAsJSON): one label set per value, as prom-client gives it.
    get: async () => ({
      name: histogram.name,
      help: histogram.help,
      type: histogram.type,
      aggregator: SUM,
      values: durationValues().map(({ labels, sharedLabels, ...v }) => ({ ...v, labels: { ...labels, ...sharedLabels } })),
    }),
    // The two series share their cells: a reset (the registry resets every metric) clears both.
    reset: () => counter.reset(),
  }

  // The registry needs only these members (name, help, type, aggregator, get, getForPromString, reset).
  for (const r of o.registers) {
    r.registerMetric(counter as unknown as Metric)
    r.registerMetric(histogram as unknown as Metric)
  }

  return {
    observe(method, route, status, seconds) {
      let methods = byRoute.get(route)
      if (!methods) byRoute.set(route, (methods = new Map()))
      let d = methods.get(method)
      if (!d) {
        d = { labels: { method, route }, counts: new Array<number>(bounds.length).fill(0), sum: 0, count: 0, statuses: new Map() }
        methods.set(method, d)
        durations.push(d)
      }
      let cell = d.statuses.get(status)
      if (!cell) {
        cell = { labels: { method, route, status: String(status) }, value: 0 }
        d.statuses.set(status, cell)
        requests.push(cell)
      }
      cell.value += 1
      let i = 0
      while (i < bounds.length && seconds > bounds[i]!) i++
      if (i < bounds.length) d.counts[i]! += 1
      d.sum += seconds
      d.count += 1
    },
  }
}
