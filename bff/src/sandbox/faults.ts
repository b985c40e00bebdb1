import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { callerIp } from './client-ip'
import { defaultErrmsg, formatErrmsg } from './errors'
import type { SandboxState } from './state'

/** What a test asks for through POST /sandbox/admin/faults. */
export interface FaultSpec {
  /** Exact path ('/cgi-bin/user/get') or '*' for every /cgi-bin/ call. */
  path: string
  errcode?: number
  errmsg?: string
  /** e.g. 502; without errcode the body is a gateway's HTML page, as a real proxy would send. */
  httpStatus?: number
  latencyMs?: number
  /** Close the connection without any response. */
  drop?: boolean
  /** How many calls it affects; unlimited when absent. */
  times?: number
  /** Chance per matching call, 0..1, rolled on the sandbox's seeded dice. */
  probability?: number
}

export interface Fault extends FaultSpec {
  id: string
  /** Calls it has affected so far. */
  hits: number
}

/** Thrown under `app.request` (no socket to destroy) so the caller sees a failed request. */
export class SandboxDropError extends Error {
  constructor(path: string) {
    super(`sandbox fault: connection dropped on ${path}`)
    this.name = 'SandboxDropError'
  }
}

export function addFault(s: SandboxState, spec: FaultSpec): Fault {
  const fault: Fault = { ...spec, id: `f${s.counters.nextFaultId++}`, hits: 0 }
  s.faults.push(fault)
  return fault
}

/** The first live fault for this path whose dice say yes; counts the hit. */
export function takeFault(s: SandboxState, path: string): Fault | undefined {
  for (const f of s.faults) {
    if (f.path !== '*' && f.path !== path) continue
    if (f.times !== undefined && f.hits >= f.times) continue
    if (f.probability !== undefined && !(s.faultRng() < f.probability)) continue
    f.hits += 1
    s.counters.faultsApplied += 1
    return f
  }
  return undefined
}

/** A fault that only slows the call down; the real handler still answers. */
export function isDelayOnly(f: Fault): boolean {
  return !f.drop && f.errcode === undefined && (f.httpStatus === undefined || f.httpStatus === 200)
}

export function delay(ms: number | undefined): Promise<void> {
  return ms ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
}

/** Plays the fault. `undefined` = carry on with the real handler (a latency-only fault). */
export async function playFault(c: Context, s: SandboxState, f: Fault): Promise<Response | undefined> {
  await delay(f.latencyMs)
  if (f.drop) return drop(c)
  if (f.errcode !== undefined) {
    const msg = f.errmsg ?? defaultErrmsg(f.errcode)
    const errmsg = msg.includes('hint: [') ? msg : formatErrmsg(s, f.errcode, msg, callerIp(c))
    return c.json({ errcode: f.errcode, errmsg }, (f.httpStatus ?? 200) as ContentfulStatusCode)
  }
  if (f.httpStatus !== undefined && f.httpStatus !== 200) return gatewayPage(c, f.httpStatus)
  return undefined
}

function drop(c: Context): Response {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (!incoming) throw new SandboxDropError(c.req.path)
  incoming.socket.destroy()
  // Nothing can be written any more; node-server just discards this.
  return new Response(null, { status: 500 })
}

const reasons: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' }

/** What nginx in front of an API answers when the upstream fails: HTML, not JSON. */
function gatewayPage(c: Context, status: number): Response {
  const title = `${status} ${reasons[status] ?? 'Error'}`
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  return c.html(body, status as ContentfulStatusCode)
}
