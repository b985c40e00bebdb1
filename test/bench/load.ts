import autocannon, { type Request } from 'autocannon'
import { processCpuMs } from './process-stats'
import { eventLoopMaxMs, scrape } from './server-metrics'

export interface LoadResult {
  reqPerSec: number
  p50: number
  p99: number
  max: number
  errors: number
  non2xx: number
  /** The server's CPU (user + system) per answered request, in µs, when its pid was given: moves far less than req/s with the machine's other load. */
  cpuUsPerReq?: number
  /**
   * The server's longest event-loop delay during the load, in ms, when its metrics URL was given:
   * tells a slow answer the server caused (a long turn) from one it never saw (connection set-up,
   * the load generator).
   */
  stallMs?: number
}

/** One request of a load's list; `setupRequest` makes it anew each time it is sent. */
type LoadRequest = Pick<Request, 'method' | 'path'> & { setupRequest?: (r: Request) => Request }

/** autocannon from this process; the server under test runs in another process. */
export async function load(
  url: string,
  opts: { connections?: number; seconds?: number; headers?: Record<string, string>; requests?: LoadRequest[]; pid?: number; metricsUrl?: string } = {},
): Promise<LoadResult> {
  const connections = opts.connections ?? 100
  // Read before the load so that the load's own delays are what the next read reports.
  if (opts.metricsUrl) await scrape(opts.metricsUrl)
  const cpu0 = opts.pid ? processCpuMs(opts.pid) : 0
  const r = await autocannon({ url, connections, duration: opts.seconds ?? 8, headers: opts.headers ?? {}, ...(opts.requests ? spread(opts.requests, connections) : {}) })
  const cpu = opts.pid && r.requests.total ? { cpuUsPerReq: Math.round(((processCpuMs(opts.pid) - cpu0) * 1000) / r.requests.total) } : {}
  const stall = opts.metricsUrl ? { stallMs: eventLoopMaxMs(await scrape(opts.metricsUrl)) } : {}
  return { reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors + r.timeouts, non2xx: r.non2xx, ...cpu, ...stall }
}

/**
 * A list of requests shared out among the connections, each cycling its own share (all of the list
 * is asked all along). Given the whole list, autocannon copies and builds every request of it for
 * each connection before the first one connects, and counts that in the first answers' latency:
 * with 700 search queries and 100 connections, 0.6 s in which nothing was sent (each load's
 * `max`, and its first second's req/s).
 */
function spread(requests: LoadRequest[], connections: number) {
  if (requests.length <= 1) return { requests }
  let next = 0
  return {
    requests: [requests[0]!],
    setupClient: (client: { setRequests: (r: Request[]) => void }) => {
      const k = next++ % connections
      const share = requests.length >= connections ? requests.filter((_, i) => i % connections === k) : [requests[k % requests.length]!]
      client.setRequests(share.map((x) => ({ ...x })))
    },
  }
}
