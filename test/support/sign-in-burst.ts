import { signedInAs, TestBrowser, UA } from './browser'

export interface SignInBurst {
  signIns: number
  succeeded: number
  /** Where each failed sign-in ended, most frequent first. */
  failures: [string, number][]
  seconds: number
  gettokenCalls: number
  /** The most connections that carried WeCom API calls at once, as the sandbox saw them. */
  peakApiConnections: number
}

/**
 * `n` people open the app inside WeCom at the same moment, each in a fresh browser (no cookies).
 * `wecomLatencyMs` slows every code exchange down as a distant WeCom would, so that the calls
 * overlap (on loopback each takes a millisecond and a burst hardly ever has two in flight).
 */
export async function signInBurst(appUrl: string, sandboxUrl: string, n: number, opts: { wecomLatencyMs?: number; userid?: string } = {}): Promise<SignInBurst> {
  const admin = (path: string, body?: object) =>
    fetch(`${sandboxUrl}/sandbox/admin/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) })
  await admin('reset')
  if (opts.wecomLatencyMs) await admin('faults', { path: '/cgi-bin/auth/getuserinfo', latencyMs: opts.wecomLatencyMs })
  const userid = opts.userid ?? 'lisi'
  const t0 = performance.now()
  const landed = await Promise.all(
    Array.from({ length: n }, async () => {
      try {
        return (await new TestBrowser(UA.wecomMobile).go(`${appUrl}/auth/login?returnTo=/me`, signedInAs(userid))).url
      } catch (e) {
        return `error: ${(e as Error).message}`
      }
    }),
  )
  const seconds = +((performance.now() - t0) / 1000).toFixed(2)
  const stats = (await (await fetch(`${sandboxUrl}/sandbox/admin/stats`)).json()) as { calls: Record<string, number>; apiConnections: { peak: number } }
  const failures = new Map<string, number>()
  for (const url of landed) if (url !== `${appUrl}/me`) failures.set(url, (failures.get(url) ?? 0) + 1)
  return {
    signIns: n,
    succeeded: n - [...failures.values()].reduce((a, b) => a + b, 0),
    failures: [...failures].sort((a, b) => b[1] - a[1]),
    seconds,
    gettokenCalls: stats.calls['/cgi-bin/gettoken'] ?? 0,
    peakApiConnections: stats.apiConnections.peak,
  }
}
