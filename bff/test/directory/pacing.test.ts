import { describe, expect, it } from 'vitest'
import { mapLimit, withRetry, type RetryOptions } from '../../src/directory/pacing'
import { WeComError, WeComTransportError } from '../../src/wecom'

const wecom = (errcode: number) => new WeComError({ errcode, errmsg: 'x', path: '/cgi-bin/user/list' })
const transport = (failure: 'network' | 'timeout' | 'http' | 'body', status?: number) => new WeComTransportError({ path: '/cgi-bin/user/list', failure, message: failure, status })

/** Fails with `errors` in turn, then answers 'ok'; records the waits it was given. */
function flaky(errors: unknown[], o: Partial<RetryOptions> = {}) {
  const waits: number[] = []
  const told: number[] = []
  let calls = 0
  const opts: RetryOptions = { attempts: 5, baseMs: 100, maxMs: 1_000, limitWaitMs: 61_000, sleep: async (ms) => void waits.push(ms), onRetry: (_e, attempt) => told.push(attempt), ...o }
  const run = () =>
    withRetry(async () => {
      calls++
      if (errors.length) throw errors.shift()
      return 'ok'
    }, opts)
  return { run, waits, told, calls: () => calls }
}

describe('withRetry', () => {
  it('does not retry what retrying cannot fix: a bad secret, an unknown user, a 4xx, a bad body', async () => {
    for (const e of [wecom(40001), wecom(60111), transport('http', 404), transport('body'), new Error('bug')]) {
      const f = flaky([e])
      await expect(f.run()).rejects.toBe(e)
      expect([f.calls(), f.waits]).toEqual([1, []])
    }
  })

  it('retries WeCom busy, throttled, network, timeout, 5xx and 429, then answers', async () => {
    const f = flaky([wecom(-1), wecom(6000), wecom(45033), transport('network'), transport('timeout'), transport('http', 502), transport('http', 429)], { attempts: 8 })
    await expect(f.run()).resolves.toBe('ok')
    expect(f.calls()).toBe(8)
    expect(f.told).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('gives up after `attempts` tries in all, with the last error', async () => {
    const last = wecom(-1)
    const f = flaky([wecom(-1), wecom(-1), last, wecom(-1)], { attempts: 3 })
    await expect(f.run()).rejects.toBe(last)
    expect(f.calls()).toBe(3)
  })

  it('backs off exponentially with jitter in [base/2, base), never above maxMs', async () => {
    const f = flaky(Array.from({ length: 6 }, () => wecom(-1)), { attempts: 7, baseMs: 100, maxMs: 1_000 })
    await f.run()
    const bases = [100, 200, 400, 800, 1_000, 1_000]
    f.waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(bases[i]! / 2)
      expect(w).toBeLessThan(bases[i]!)
    })
  })

  it('waits out the whole window on 45009 (API frequency limit), whatever the backoff step', async () => {
    const f = flaky([wecom(45009), wecom(-1), wecom(45009)], { limitWaitMs: 61_000 })
    await f.run()
    expect(f.waits[0]).toBe(61_000)
    expect(f.waits[1]).toBeLessThan(200)
    expect(f.waits[2]).toBe(61_000)
  })
})

describe('mapLimit', () => {
  it('keeps at most `limit` in flight and answers in input order, whatever order they finish in', async () => {
    let inFlight = 0
    let most = 0
    const out = await mapLimit([50, 10, 30, 0, 20, 40], 3, async (ms) => {
      most = Math.max(most, ++inFlight)
      await new Promise((r) => setTimeout(r, ms))
      inFlight--
      return ms * 2
    })
    expect(out).toEqual([100, 20, 60, 0, 40, 80])
    expect(most).toBe(3)
  })

  it('answers an empty list without calling, and a limit above the count starts each once', async () => {
    let calls = 0
    expect(await mapLimit([], 4, async () => ++calls)).toEqual([])
    expect(await mapLimit([1, 2], 10, async (x) => (calls++, x))).toEqual([1, 2])
    expect(calls).toBe(2)
  })

  it('rejects with the first failure, lets those in flight finish and starts no more', async () => {
    const started: number[] = []
    const finished: number[] = []
    const boom = new Error('page 1 failed')
    const run = mapLimit([0, 1, 2, 3, 4, 5], 2, async (i) => {
      started.push(i)
      await new Promise((r) => setTimeout(r, i === 1 ? 1 : 20))
      if (i === 1) throw boom
      if (i === 2) throw new Error('later failure')
      finished.push(i)
      return i
    })
    await expect(run).rejects.toBe(boom)
    // 0 was in flight when 1 failed: it finished before the rejection; nothing started after it.
    expect(started).toEqual([0, 1])
    expect(finished).toEqual([0])
  })
})
