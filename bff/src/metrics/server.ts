import { createServer, type Server } from 'node:http'
import { collectDefaultMetrics } from 'prom-client'
import type { Logger } from '../log'
import type { Metrics } from '.'

/**
 * `GET /metrics` on a port of its own (METRICS_PORT), never on the app's: the reverse proxy that
 * publishes the app does not know this port, so no route or token can leak it. Bound to
 * METRICS_HOST (127.0.0.1 unless the operator opens it to the scraper's network).
 * `processMetrics`: Node's own series (memory, CPU, event loop lag); once per process.
 */
export function serveMetrics(metrics: Metrics, opts: { port: number; host: string; log: Logger; processMetrics?: boolean }): Promise<Server> {
  if (opts.processMetrics) collectDefaultMetrics({ register: metrics.registry, prefix: 'portal_' })
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at GET /metrics.\n')
      return
    }
    metrics.text().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' })
        res.end(req.method === 'HEAD' ? undefined : text)
      },
      (e: unknown) => {
        opts.log.error('metrics could not be collected', { err: e })
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics could not be collected; see the server log.\n')
      },
    )
  })
  return new Promise((resolve, reject) => {
    const refused = (e: NodeJS.ErrnoException) =>
      reject(new Error(`Metrics cannot listen on ${opts.host}:${opts.port} (${e.code ?? e.message}): ${e.code === 'EADDRINUSE' ? 'the port is in use; set METRICS_PORT' : 'check METRICS_HOST and METRICS_PORT'}.`))
    server.once('error', refused)
    server.listen({ port: opts.port, host: opts.host }, () => {
      server.off('error', refused)
      opts.log.info('metrics listening', { url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}/metrics` })
      resolve(server)
    })
  })
}
