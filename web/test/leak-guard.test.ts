import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { defineComponent, h, onBeforeUnmount } from 'vue'
import { Tabbar, TabbarItem } from 'vant'
import type { Window as HappyWindow } from 'happy-dom'
import { takeLeaks } from './setup/leak-guard'

/** The guard (test/setup/leak-guard.ts) must fail a leaking test: the tests that leak are expected to fail. */
describe('leak guard: a test that leaves something pending fails, saying where it was started', () => {
  const reports: Record<string, string> = {}
  const leaking = (name: string, leak: () => void) =>
    it.fails(`${name} (fails on purpose)`, ({ task, onTestFailed }) => {
      onTestFailed(() => {
        reports[name] = (task.result?.errors ?? []).map((e) => `${e.message}\n${e.stack}`).join('\n')
      })
      leak()
    })

  leaking('a timer', () => void setTimeout(() => {}, 60_000))
  leaking('an interval', () => void setInterval(() => {}, 1000))
  leaking('an animation frame', () => void requestAnimationFrame(() => {}))
  leaking('a real request', () => {
    // happy-dom holds the request until it is aborted: nothing goes out on the network.
    const settings = (window as unknown as HappyWindow).happyDOM.settings.fetch
    const before = settings.interceptor
    settings.interceptor = { beforeAsyncRequest: ({ request }) => new Promise<void>((r) => request.signal.addEventListener('abort', () => r())) }
    try {
      void fetch('http://127.0.0.1:9/never').catch(() => {})
    } finally {
      settings.interceptor = before
    }
  })

  it('each was reported with its kind and origin', () => {
    expect(reports['a timer']).toMatch(/setTimeout\(…, 60000\)[\s\S]*leak-guard\.test\.ts:\d+/)
    expect(reports['an interval']).toMatch(/setInterval\(…, 1000\)[\s\S]*leak-guard\.test\.ts:\d+/)
    expect(reports['an animation frame']).toMatch(/requestAnimationFrame[\s\S]*leak-guard\.test\.ts:\d+/)
    expect(reports['a real request']).toMatch(/fetch[\s\S]*leak-guard\.test\.ts:\d+/)
  })
})

describe('leak guard: what passes', () => {
  it('a short one-shot timer of our own is still a leak', () => {
    setTimeout(() => {}, 100)
    const { leaks } = takeLeaks()
    expect(leaks).toEqual([expect.objectContaining({ kind: 'setTimeout', delay: 100 })])
  })

  it("a library's short one-shot timers run at teardown (Vant's tab bar measuring its placeholder)", () => {
    const w = mount(() => h(Tabbar, { placeholder: true, fixed: true }, () => h(TabbarItem, null, () => 'A')), { attachTo: document.body })
    w.unmount()
    expect(takeLeaks()).toEqual({ leaks: [], errors: [] })
  })

  it('a component left mounted is unmounted before the check: what it stops on unmount is no leak', () => {
    const Ticking = defineComponent({
      setup() {
        const timer = setInterval(() => {}, 1000)
        onBeforeUnmount(() => clearInterval(timer))
        return () => h('p', 'tick')
      },
    })
    mount(Ticking, { attachTo: document.body })
  })
})
