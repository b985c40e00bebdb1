import type { Server, ServerResponse } from 'node:http'
import type { Logger } from './log'

/** How long the database may take to close once the bound has passed. */
const CLOSE_GRACE_MS = 2_000

export interface GracefulStop {
  /** Why /readyz should say no, once a stop has begun; undefined before. */
  stopping(): string | undefined
  /** A server whose requests a stop drains (and answers with `Connection: close` meanwhile). */
  track(server: Server): void
  /** The first signal stops gracefully; a second one ends the process at once. */
  onSignal(signal: string): void
}

export interface StopSteps {
  /** Background work told to stop (sync, outbox, callbacks, schedules); resolves once it has. */
  work(): Promise<unknown>
  /** After the requests and the work: close the database (and release its locks). */
  close(): Promise<unknown>
}

/**
 * SIGTERM: the port stops accepting connections; requests in flight, and those already sent on
 * open keep-alive connections, are answered (with `Connection: close`, and /readyz 503
 * "stopping", so a load balancer lets go); background work ends or rolls back; the database
 * closes, which releases its locks; exit 0. All within `timeoutMs`: past it, the connections
 * left are cut (the database then gets CLOSE_GRACE_MS to close) and the process exits 1; work
 * still running is not waited for, which leaves nothing half done
 * (an unfinished transaction dies with its connection, a sync merges in one transaction, an
 * outbox row stays pending until its send is recorded). A second signal exits 1 at once.
 */
export function createGracefulStop(o: { timeoutMs: number; log: Logger; steps: () => StopSteps | undefined; exit?: (code: number) => never }): GracefulStop {
  const exit = o.exit ?? ((code: number) => process.exit(code))
  const servers: Server[] = []
  /** Responses not yet begun: told to close their connection once a stop begins. */
  const unanswered = new Set<ServerResponse>()
  let stoppingSince: number | undefined

  async function stop(signal: string): Promise<number> {
    stoppingSince = Date.now()
    const deadline = stoppingSince + o.timeoutMs
    o.log.info('stopping: no new connections; finishing requests and background work', { signal, timeoutMs: o.timeoutMs })
    const steps = o.steps()
    for (const res of unanswered) closeAfter(res)
    const drained = Promise.all(
      servers.map((s) => {
        const closed = new Promise<void>((resolve) => s.close(() => resolve()))
        // Keep-alive connections with no request in flight: nothing to wait for.
        s.closeIdleConnections()
        return closed
      }),
    )
    const work = steps ? steps.work().catch((e) => o.log.error('background work did not stop cleanly', { err: e })) : Promise.resolve()
    const [requestsDone, workDone] = await Promise.all([before(deadline, drained), before(deadline, work)])
    if (!requestsDone) {
      o.log.warn('stop timeout: closing the connections still open', { timeoutMs: o.timeoutMs })
      for (const s of servers) s.closeAllConnections()
    }
    if (!workDone) {
      o.log.warn('stop timeout: background work still running is left to roll back', { timeoutMs: o.timeoutMs })
      return 1
    }
    // Requests cut at the bound use the database no more: it still gets a moment to close, so
    // PGlite's directory is left consistent and unlocked.
    const closeBy = Math.max(deadline, Date.now() + CLOSE_GRACE_MS)
    if (steps && !(await before(closeBy, steps.close().catch((e) => o.log.error('database did not close cleanly', { err: e }))))) {
      o.log.warn('stop timeout: the database did not close in time', { timeoutMs: o.timeoutMs })
      return 1
    }
    o.log.info('stopped', { ms: Date.now() - stoppingSince })
    return requestsDone ? 0 : 1
  }

  return {
    stopping: () => (stoppingSince === undefined ? undefined : 'stopping: the server is shutting down'),
    track(server) {
      servers.push(server)
      // First in line, before the app writes its headers.
      server.prependListener('request', (_req, res) => {
        if (stoppingSince !== undefined) return closeAfter(res)
        unanswered.add(res)
        res.once('close', () => unanswered.delete(res))
      })
    },
    onSignal(signal) {
      if (stoppingSince !== undefined) {
        o.log.warn('second signal: exiting now', { signal })
        exit(1)
      }
      void stop(signal).then(exit, (e) => {
        o.log.error('stop failed', { err: e })
        exit(1)
      })
    },
  }
}

/** Its connection ends after it: a keep-alive client (a load balancer) reconnects elsewhere. */
function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close')
}

/** True when `p` settled before `deadline` (ms since the epoch). */
function before(deadline: number, p: Promise<unknown>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))))
  return Promise.race([p.then(() => true), late]).finally(() => clearTimeout(timer))
}
