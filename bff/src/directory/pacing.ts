import { isTransient, WeComError } from '../wecom'

export type Sleep = (ms: number) => Promise<void>
export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms))

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number
  baseMs: number
  maxMs: number
  /** 45009 blocks for the rest of the window (a minute for per-minute limits): wait it out. */
  limitWaitMs: number
  sleep: Sleep
  /** Told about every retry, so a slow sync explains itself in the log. */
  onRetry?: (e: unknown, attempt: number, waitMs: number) => void
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseMs: 500, maxMs: 30_000, limitWaitMs: 61_000, sleep: realSleep }

/** Retries WeCom's transient failures (-1, 45009, 45033, 5xx, timeouts) with exponential backoff and jitter. */
export async function withRetry<T>(fn: () => Promise<T>, o: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (e) {
      if (attempt >= o.attempts || !isTransient(e)) throw e
      const limit = e instanceof WeComError && e.errcode === 45009
      const base = Math.min(o.maxMs, o.baseMs * 2 ** (attempt - 1))
      const wait = limit ? o.limitWaitMs : base / 2 + Math.random() * (base / 2)
      o.onRetry?.(e, attempt, wait)
      await o.sleep(wait)
    }
  }
}

/**
 * What the reads wait on before each WeCom call: WeCom's per-API limits, counted in the database
 * so that every instance draws from one budget (rate/api-limiter.ts).
 */
export type { ApiLimiter as WindowLimiter } from '../rate/api-limiter'

/** Runs `fn` over `items` with at most `limit` in flight; the first failure rejects (others finish). */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  let failed: unknown
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const i = next++
      try {
        out[i] = await fn(items[i]!)
      } catch (e) {
        failed ??= e
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failed !== undefined) throw failed
  return out
}
