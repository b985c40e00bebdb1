import type { MiddlewareHandler } from 'hono'
import { trackApiConnection } from './api-connections'
import { callerIp, ipAllowed } from './client-ip'
import { wecomError } from './errors'
import { delay, isDelayOnly, playFault, takeFault } from './faults'
import { enterConcurrent, leaveConcurrent, overMinuteLimit } from './rate-limits'
import type { SandboxState } from './state'
import { checkToken } from './tickets/tokens'

export function countCall(s: SandboxState, path: string): void {
  s.calls.set(path, (s.calls.get(path) ?? 0) + 1)
}

/**
 * A valid code makes getuserinfo exempt from the frequency limits (https://developer.work.weixin.qq.com/document/path/90312);
 * app messages "don't count toward the base API limit" — they have per-member limits instead (https://developer.work.weixin.qq.com/document/path/90236).
 */
const FREQUENCY_EXEMPT = new Set(['/cgi-bin/auth/getuserinfo', '/cgi-bin/message/send'])

/**
 * Runs before every /cgi-bin/ handler: count, injected faults, access_token and the trusted-IP
 * check, then the per-API frequency (45009) and concurrency (45033) limits. The IP check comes
 * after the token because the allowlist belongs to the app the token identifies. gettoken is not
 * IP-gated: WeCom does not document whether it is (neither https://developer.work.weixin.qq.com/document/path/91039 nor 60020 in https://developer.work.weixin.qq.com/document/path/90313 says), and gating it
 * would hide token bugs behind 60020. A latency-only fault is served inside the concurrency slot,
 * so slow calls overlap the way slow real ones do.
 */
export function cgiGate(s: SandboxState): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path
    countCall(s, path)
    trackApiConnection(s.apiConnections, c)
    const fault = takeFault(s, path)
    if (fault && !isDelayOnly(fault)) {
      const res = await playFault(c, s, fault)
      if (res) return res
    }
    if (path !== '/cgi-bin/gettoken') {
      const token = c.req.query('access_token')
      if (!token) return wecomError(c, s, 41001)
      const bad = checkToken(s, token)
      if (bad) return wecomError(c, s, bad)
      if (!ipAllowed(callerIp(c), s.settings.ipAllowlist)) return wecomError(c, s, 60020)
    }
    const { limits } = s.settings
    if (!FREQUENCY_EXEMPT.has(path) && overMinuteLimit(s.rate, limits, path, s.now())) return wecomError(c, s, 45009)
    // Reset may swap s.rate while this call is in flight: release the slot where it was taken.
    const rate = s.rate
    if (!enterConcurrent(rate, limits, path)) return wecomError(c, s, 45033)
    try {
      if (fault) await delay(fault.latencyMs)
      await next()
    } finally {
      leaveConcurrent(rate, path)
    }
  }
}
