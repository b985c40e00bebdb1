/**
 * What the server under load says of itself, from its Prometheus metrics (METRICS_PORT): the
 * client's latencies include what the server never saw (connection set-up, the load generator
 * sharing the cores), these do not.
 */

/**
 * The server's metrics as text. Each read resets the event-loop delay histogram (prom-client's
 * `monitorEventLoopDelay`), so take every figure of one moment from the same read.
 */
export async function scrape(metricsUrl: string): Promise<string> {
  const r = await fetch(metricsUrl)
  if (!r.ok) throw new Error(`${metricsUrl} answered ${r.status}`)
  return r.text()
}

/** The longest event-loop delay since the read before `metrics`, in ms. */
export function eventLoopMaxMs(metrics: string): number {
  const seconds = /^portal_nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1]
  if (seconds === undefined) throw new Error('no portal_nodejs_eventloop_lag_max_seconds in the metrics (is METRICS_PORT set?)')
  return Math.round(Number(seconds) * 1000)
}

/** How many of one route's answers the server has timed, in all and within each bound (seconds). */
export interface RouteTimes {
  count: number
  within: Map<number, number>
}

export function routeTimes(text: string, method: string, route: string): RouteTimes {
  const within = new Map<number, number>()
  const bucket = /^portal_http_request_duration_seconds_bucket\{le="([^"]+)",method="([^"]+)",route="([^"]+)"\} (\S+)$/gm
  for (const [, le, m, r, n] of text.matchAll(bucket)) if (m === method && r === route && le !== '+Inf') within.set(Number(le), Number(n))
  let count = 0
  const total = /^portal_http_request_duration_seconds_count\{method="([^"]+)",route="([^"]+)"\} (\S+)$/gm
  for (const [, m, r, n] of text.matchAll(total)) if (m === method && r === route) count = Number(n)
  return { count, within }
}

/** The share of the answers between two reads that the server gave within `seconds` (a bucket bound); NaN when none. */
export function shareWithin(before: RouteTimes, after: RouteTimes, seconds: number): number {
  const n = after.count - before.count
  if (n <= 0) return NaN
  return ((after.within.get(seconds) ?? 0) - (before.within.get(seconds) ?? 0)) / n
}

/** The directory view's rebuilds that read only the members written since the last (count, seconds in all). */
export function rebuildsOfWritten(text: string): { count: number; seconds: number } {
  const read = (what: string) => Number(new RegExp(`^portal_directory_rebuild_duration_seconds_${what}\\{read="written"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
  return { count: read('count'), seconds: read('sum') }
}
