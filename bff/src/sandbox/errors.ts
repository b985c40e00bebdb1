import { randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { callerIp, displayIp } from './client-ip'
import type { SandboxState } from './state'

/** English errmsg texts WeCom sends (short form, before the hint). */
export const errmsgs: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40003: 'invalid userid',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40058: 'invalid Request Parameter',
  40068: 'invalid tagid',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
  41008: 'missing code',
  41009: 'missing userid',
  41019: 'missing department',
  42001: 'access_token expired',
  43012: 'agent need callback url',
  45009: 'api freq out of limit',
  45029: 'response size out of limit',
  45033: 'api concurrent out of limit',
  48002: 'api forbidden',
  48009: 'api forbidden for contact assistant: new IPs may not read member details',
  50001: 'redirect_uri not trusted',
  50100: 'invalid cursor',
  60001: 'invalid department name length',
  60140: 'invalid response_code',
  60003: 'department not found',
  60004: 'parent department not found',
  60005: 'department contains members',
  60006: 'department contains sub-departments',
  60007: 'not allow to delete root department',
  60008: 'department existed',
  60009: 'department name contains invalid characters',
  60010: 'department has circular relationship',
  60011: 'no privilege to access/modify contact/party/agent',
  60020: 'not allow to access from your ip',
  60102: 'userid existed',
  60110: 'too many departments for one member',
  60111: 'userid not found',
  60112: 'invalid name',
  60123: 'invalid party id',
  60132: 'is_leader_in_dept and department count mismatch',
  81013: 'user & party & tag all invalid',
  82001: 'All touser & toparty & totag invalid',
  84014: 'user ticket expired',
  84015: 'invalid user ticket',
  301002: 'not allow to operate another agent',
  301025: 'get approval param error',
}

/** `[-1, 45009, …]` text, or a neutral one for codes the sandbox has no text for. */
export function defaultErrmsg(errcode: number): string {
  return errmsgs[errcode] ?? `sandbox injected error ${errcode}`
}

/** WeCom's request id in the `hint: [...]` part: seconds_sequence_randomhex. */
export function nextRid(s: SandboxState): string {
  s.counters.rid += 1
  return `${Math.floor(s.now() / 1000)}_${s.counters.rid}_${randomBytes(16).toString('hex')}`
}

/** `<msg>, hint: [<rid>], from ip: <ip>, more info at …?e=<code>` — WeCom's errmsg format. */
export function formatErrmsg(s: SandboxState, errcode: number, msg: string, ip: string): string {
  return `${msg}, hint: [${nextRid(s)}], from ip: ${displayIp(ip)}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`
}

/** A WeCom error: HTTP 200 (WeCom's habit) with errcode and the hinted errmsg. */
export function wecomError(c: Context, s: SandboxState, errcode: number, msg = defaultErrmsg(errcode), httpStatus = 200): Response {
  const body = { errcode, errmsg: formatErrmsg(s, errcode, msg, callerIp(c)) }
  return c.json(body, httpStatus as ContentfulStatusCode)
}

export function wecomOk<T extends object>(c: Context, body: T): Response {
  return c.json({ errcode: 0, errmsg: 'ok', ...body })
}
