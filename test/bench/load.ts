import autocannon, { type Request } from 'autocannon'
import { processCpuMs } from './process-stats'

export interface LoadResult {
  reqPerSec: number
  p50: number
  p99: number
  max: number
  errors: number
  non2xx: number
  /** The server's CPU (user + system) per answered request, in µs, when its pid was given: moves far less than req/s with the machine's other load. */
  cpuUsPerReq?: number
}

/** autocannon from this process; the server under test runs in another process. */
export async function load(
  url: string,
  opts: { connections?: number; seconds?: number; headers?: Record<string, string>; requests?: (Pick<Request, 'method' | 'path'> & { setupRequest?: (r: Request) => Request })[]; pid?: number } = {},
): Promise<LoadResult> {
  const cpu0 = opts.pid ? processCpuMs(opts.pid) : 0
  const r = await autocannon({ url, connections: opts.connections ?? 100, duration: opts.seconds ?? 8, headers: opts.headers ?? {}, ...(opts.requests ? { requests: opts.requests } : {}) })
  const cpu = opts.pid && r.requests.total ? { cpuUsPerReq: Math.round(((processCpuMs(opts.pid) - cpu0) * 1000) / r.requests.total) } : {}
  return { reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors + r.timeouts, non2xx: r.non2xx, ...cpu }
}
