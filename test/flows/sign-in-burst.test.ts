import { WECOM_CONNECTIONS } from '@portal/bff/wecom'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInBurst } from '../support/sign-in-burst'
import { startStack, type Stack } from '../support/stack'

// `pnpm bench` runs 1,000 with one core kept busy; CI keeps it moderate.
const N = 200

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.close())

describe('a burst of cold sign-ins', () => {
  it(`${N} people opening the app at once on a cold server all get in, over at most ${WECOM_CONNECTIONS} WeCom connections`, async () => {
    const burst = await signInBurst(stack.appUrl, stack.sandboxUrl, N, { wecomLatencyMs: 500 })
    expect(burst.failures).toEqual([])
    expect(burst.succeeded).toBe(N)
    expect(burst.gettokenCalls).toBe(1)
    expect(burst.peakApiConnections).toBeGreaterThan(0)
    expect(burst.peakApiConnections).toBeLessThanOrEqual(WECOM_CONNECTIONS)
  })
})
