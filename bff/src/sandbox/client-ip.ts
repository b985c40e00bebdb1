import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

/** Header honoured ONLY when there is no socket, i.e. under `app.request` in tests. */
export const TEST_IP_HEADER = 'x-sandbox-client-ip'

/**
 * The caller's IP as WeCom would see it: the socket's peer address. A real server always has a
 * socket, so the header cannot be used to dodge the allowlist; `app.request` has none (conninfo
 * throws), and then tests may say who they are with the header (default 127.0.0.1).
 */
export function callerIp(c: Context): string {
  try {
    const address = getConnInfo(c).remote.address
    if (address) return address
  } catch {
    return c.req.header(TEST_IP_HEADER)?.trim() || '127.0.0.1'
  }
  return 'unknown'
}

/** WeCom prints IPv4 callers in dotted form; strip the IPv4-mapped IPv6 prefix. */
export function displayIp(ip: string): string {
  return ip.toLowerCase().startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip
}

export function ipAllowed(ip: string, allowlist: readonly string[]): boolean {
  const want = displayIp(ip)
  return allowlist.some((a) => displayIp(a.trim()) === want)
}
