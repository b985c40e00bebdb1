import { WeComError } from '../wecom'
import { MAX_DUPLICATE_CHECK_SECONDS } from '../wecom/messages'

export interface RetryPolicy {
  /** Sends tried in all, the first included; then the row is `failed`. */
  maxAttempts: number
  /** Wait after the first failure; doubles each time, up to maxMs, with jitter. */
  baseMs: number
  maxMs: number
  /** 45009 blocks the app for the rest of the window (a minute for per-minute limits): at least this long. */
  limitWaitMs: number
}

/** 8 tries spread over roughly half an hour to an hour (jitter), all well inside WeCom's 4 h duplicate check. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 8, baseMs: 30_000, maxMs: 20 * 60_000, limitWaitMs: 61_000 })

/** How long to wait after the `failures`-th transient failure: exponential, jittered to 50–100 %. */
export function retryDelayMs(p: RetryPolicy, failures: number, err: unknown, random: () => number): number {
  const exp = Math.min(p.maxMs, p.baseMs * 2 ** (failures - 1))
  const wait = exp / 2 + random() * (exp / 2)
  return isFrequencyLimit(err) ? Math.max(wait, p.limitWaitMs) : wait
}

/** The longest a row can take from its first try to its last under `p` (jitter at its maximum). */
export function worstCaseSpanMs(p: RetryPolicy): number {
  let total = 0
  for (let n = 1; n < p.maxAttempts; n++) total += Math.max(Math.min(p.maxMs, p.baseMs * 2 ** (n - 1)), p.limitWaitMs)
  return total
}

/**
 * A resend is only harmless while WeCom's duplicate check still remembers the first send. Keep a
 * quarter of the window spare for time the process is down or a send is held back.
 */
export function assertWithinDuplicateWindow(p: RetryPolicy): void {
  const windowMs = MAX_DUPLICATE_CHECK_SECONDS * 1000
  if (worstCaseSpanMs(p) > windowMs * 0.75) {
    throw new RangeError(`outbox retry policy spans up to ${Math.round(worstCaseSpanMs(p) / 60_000)} min; it must stay under ${(windowMs * 0.75) / 60_000} min (WeCom's duplicate check lasts ${windowMs / 60_000} min)`)
  }
}

export function isFrequencyLimit(err: unknown): boolean {
  return err instanceof WeComError && err.errcode === 45009
}
