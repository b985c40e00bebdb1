import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/log'
import { assertWithinDuplicateWindow, DEFAULT_RETRY, retryDelayMs, worstCaseSpanMs } from '../../src/notify/retry-policy'
import { createOutboxWorker } from '../../src/notify/worker'
import { WeComError } from '../../src/wecom'
import type { Db } from '../../src/db'

describe('outbox retry policy', () => {
  it('refuses a schedule that could outlast WeCom\'s 4 h duplicate check (resends would then deliver twice)', () => {
    expect(() => assertWithinDuplicateWindow({ ...DEFAULT_RETRY, maxAttempts: 20 })).toThrow(/duplicate check/)
    const create = () =>
      createOutboxWorker({
        db: {} as Db,
        wecom: { post: async () => ({}) as never },
        log: createLogger({ write: () => {} }),
        now: Date.now,
        settings: { get: () => '1' as never },
        retry: { maxAttempts: 12, maxMs: 60 * 60_000 },
      })
    expect(create).toThrow(RangeError)
  })

  it('the default: 8 tries, at worst spread over under an hour, well inside the window', () => {
    expect(DEFAULT_RETRY.maxAttempts).toBe(8)
    expect(worstCaseSpanMs(DEFAULT_RETRY)).toBe((61 + 61 + 120 + 240 + 480 + 960 + 1200) * 1000)
    expect(() => assertWithinDuplicateWindow(DEFAULT_RETRY)).not.toThrow()
  })

  it('backs off exponentially with jitter between half and all of the step, capped; 45009 waits out the minute', () => {
    const busy = new WeComError({ errcode: -1, errmsg: 'busy', path: '/cgi-bin/message/send' })
    const limited = new WeComError({ errcode: 45009, errmsg: 'limit', path: '/cgi-bin/message/send' })
    expect([1, 2, 3].map((n) => retryDelayMs(DEFAULT_RETRY, n, busy, () => 0))).toEqual([15_000, 30_000, 60_000])
    expect([1, 2, 3].map((n) => retryDelayMs(DEFAULT_RETRY, n, busy, () => 1))).toEqual([30_000, 60_000, 120_000])
    expect(retryDelayMs(DEFAULT_RETRY, 20, busy, () => 1)).toBe(DEFAULT_RETRY.maxMs)
    expect(retryDelayMs(DEFAULT_RETRY, 1, limited, () => 0)).toBe(61_000)
  })
})
