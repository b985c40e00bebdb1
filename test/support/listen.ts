import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'

type Handler = (req: Request, env?: unknown) => Response | Promise<Response>

/** A loopback server on a free port whose handler is set later (URLs must be known first). */
export async function listenLate(): Promise<{ port: number; url: string; setHandler(h: Handler): void; close(): Promise<void> }> {
  let handler: Handler = () => new Response('not ready', { status: 503 })
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: (req, env) => handler(req, env), port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const port = (server.address() as AddressInfo).port
  return {
    port,
    url: `http://localhost:${port}`,
    setHandler: (h) => {
      handler = h
    },
    close: () => new Promise((r) => server.close(() => r())),
  }
}
