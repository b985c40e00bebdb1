import { openDb } from './index'
import type { Db } from './types'

/**
 * openDb at server start, until it succeeds: PostgreSQL may come up after the app (compose,
 * a rebooted host) or be restarting. Each failure goes to `onFailure` with the wait before the
 * next try; the wait doubles from 1 s up to 15 s.
 */
export async function openDbRetrying(
  opts: Parameters<typeof openDb>[0],
  onFailure: (e: unknown, info: { attempt: number; retryInMs: number }) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<Db> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openDb(opts)
    } catch (e) {
      const retryInMs = Math.min(15_000, 1_000 * 2 ** (attempt - 1))
      onFailure(e, { attempt, retryInMs })
      await sleep(retryInMs)
    }
  }
}
