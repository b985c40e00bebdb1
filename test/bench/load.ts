import autocannon, { type Request } from 'autocannon'

export interface LoadResult {
  reqPerSec: number
  p50: number
  p99: number
  errors: number
  non2xx: number
}

/** autocannon from this process; the server under test runs in another process. */
export async function load(
  url: string,
  opts: { connections?: number; seconds?: number; headers?: Record<string, string>; requests?: (Pick<Request, 'method' | 'path'> & { setupRequest?: (r: Request) => Request })[] } = {},
): Promise<LoadResult> {
  const r = await autocannon({ url, connections: opts.connections ?? 100, duration: opts.seconds ?? 8, headers: opts.headers ?? {}, ...(opts.requests ? { requests: opts.requests } : {}) })
  return { reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx }
}
