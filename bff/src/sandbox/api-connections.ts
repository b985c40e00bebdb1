import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { Context } from 'hono'

/**
 * The TCP connections that carried server-API (/cgi-bin/) calls: how many are open now, the
 * most at once, and how many were opened. A client with a bounded keep-alive pool keeps `peak`
 * at its pool size however many calls it makes; one without opens a connection per call.
 */
export interface ApiConnections {
  open: number
  peak: number
  opened: number
  readonly seen: WeakSet<Socket>
}

export function createApiConnections(): ApiConnections {
  return { open: 0, peak: 0, opened: 0, seen: new WeakSet() }
}

/** Counts the request's connection the first time it carries an API call (served by @hono/node-server). */
export function trackApiConnection(conns: ApiConnections, c: Context): void {
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket
  if (!socket || conns.seen.has(socket)) return
  conns.seen.add(socket)
  conns.open += 1
  conns.opened += 1
  conns.peak = Math.max(conns.peak, conns.open)
  socket.once('close', () => {
    conns.open -= 1
  })
}

/** A reset starts the counts again from the connections still open. */
export function resetApiConnections(conns: ApiConnections): void {
  conns.peak = conns.open
  conns.opened = 0
}

export function apiConnectionStats(conns: ApiConnections): { open: number; peak: number; opened: number } {
  return { open: conns.open, peak: conns.peak, opened: conns.opened }
}
