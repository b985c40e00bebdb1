import type { SandboxLimits } from './options'

/** Per-API counters for WeCom's frequency limits (https://developer.work.weixin.qq.com/document/path/90312): a one-minute window and the calls in flight. */
export interface RateState {
  windows: Map<string, { start: number; count: number }>
  inflight: Map<string, number>
}

export function createRateState(): RateState {
  return { windows: new Map(), inflight: new Map() }
}

const MINUTE_MS = 60_000

/** APIs WeCom limits more tightly than the per-corp 10,000/min (https://developer.work.weixin.qq.com/document/path/91816, https://developer.work.weixin.qq.com/document/path/90312). */
const API_MINUTE_LIMITS: Readonly<Record<string, number>> = {
  '/cgi-bin/oa/getapprovalinfo': 600,
}

/** The lower of the configured per-API limit and the API's own documented one. */
export function minuteLimitFor(limits: SandboxLimits, path: string): number {
  return Math.min(limits.perMinutePerApi, API_MINUTE_LIMITS[path] ?? Number.POSITIVE_INFINITY)
}

/**
 * Counts a call in its API's minute window. WeCom blocks for as long as the window the caller
 * overran ("min → 60 s"), so the window is fixed from its first call and every call in it counts,
 * refused ones included — hammering during a block does not shorten it.
 */
export function overMinuteLimit(rate: RateState, limits: SandboxLimits, path: string, now: number): boolean {
  let w = rate.windows.get(path)
  if (!w || now - w.start >= MINUTE_MS) {
    w = { start: now, count: 0 }
    rate.windows.set(path, w)
  }
  w.count += 1
  return w.count > minuteLimitFor(limits, path)
}

/** Takes a concurrency slot; false (nothing taken) when the API already has its maximum in flight. */
export function enterConcurrent(rate: RateState, limits: SandboxLimits, path: string): boolean {
  const n = rate.inflight.get(path) ?? 0
  if (limits.maxConcurrentPerApi > 0 && n >= limits.maxConcurrentPerApi) return false
  rate.inflight.set(path, n + 1)
  return true
}

export function leaveConcurrent(rate: RateState, path: string): void {
  const n = (rate.inflight.get(path) ?? 1) - 1
  if (n <= 0) rate.inflight.delete(path)
  else rate.inflight.set(path, n)
}
