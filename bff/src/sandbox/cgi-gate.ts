import type { MiddlewareHandler } from 'hono'
import { callerIp, ipAllowed } from './client-ip'
import { wecomError } from './errors'
import { playFault, takeFault } from './faults'
import type { SandboxState } from './state'
import { checkToken } from './tokens'

export function countCall(s: SandboxState, path: string): void {
  s.calls.set(path, (s.calls.get(path) ?? 0) + 1)
}

/**
 * Runs before every /cgi-bin/ handler: count, injected faults, then access_token and the
 * trusted-IP check. The IP check comes after the token because the allowlist belongs to the
 * app the token identifies. gettoken is not IP-gated: WeCom does not document whether it is
 * (wecom-api.md §9, open question), and gating it would hide token bugs behind 60020.
 */
export function cgiGate(s: SandboxState): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path
    countCall(s, path)
    const fault = takeFault(s, path)
    if (fault) {
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
    await next()
  }
}
