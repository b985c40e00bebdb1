import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { createPinia, setActivePinia } from 'pinia'
import { defineComponent, h, useTemplateRef } from 'vue'
import type { EmbedMessage } from '@portal/shared'
import { embedded } from '../src/lib/embed'
import { authLoginPath } from '../src/lib/navigation'
import { HEIGHT_DEBOUNCE_MS, hostPath, postToHost, watchHeight } from '../src/lib/embed-bridge'
import { useEmbedBridge } from '../src/composables/use-embed-bridge'
import { useAppStore } from '../src/stores/app'
import { useSessionStore } from '../src/stores/session'
import { createSessionGuard } from '../src/router/guards'
import { jsonResponse, sampleMe } from './fixtures'
import { fakeTodosFetch, hostTodo, sampleTodo } from './todo-fixtures'

const HOST = 'https://oa.example.com'

/** A ResizeObserver the test drives: `fire()` is the browser noticing a size change. */
class FakeObserver {
  static last: FakeObserver | undefined
  observed: Element[] = []
  disconnected = false
  constructor(private readonly cb: () => void) {
    FakeObserver.last = this
  }
  observe(el: Element): void {
    this.observed.push(el)
  }
  disconnect(): void {
    this.disconnected = true
  }
  fire(): void {
    if (!this.disconnected) this.cb()
  }
}

function sized(el: HTMLElement, height: number): void {
  el.getBoundingClientRect = () => ({ height, width: 375, top: 0, left: 0, right: 375, bottom: height, x: 0, y: 0, toJSON: () => ({}) })
  Object.defineProperty(el, 'scrollHeight', { configurable: true, value: height })
}

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  embedded.value = false
  sessionStorage.clear()
})

describe('postToHost', () => {
  it('never posts with "*" or a malformed origin, and one bad origin does not stop the rest', () => {
    const postMessage = vi.fn((_msg: unknown, origin: string) => {
      if (origin === 'https://broken.example') throw new DOMException('bad', 'SyntaxError')
    })
    const msg: EmbedMessage = { source: 'wecom-portal', type: 'ready' }
    postToHost({ postMessage }, ['*', 'https://evil.example/path', 'https://broken.example', HOST], msg)
    expect(postMessage.mock.calls.map((c) => c[1])).toEqual(['https://broken.example', HOST])
    expect(postMessage).toHaveBeenLastCalledWith(msg, HOST)
  })

  it('posts nothing without origins', () => {
    const postMessage = vi.fn()
    postToHost({ postMessage }, [], { source: 'wecom-portal', type: 'ready' })
    expect(postMessage).not.toHaveBeenCalled()
  })
})

describe('hostPath', () => {
  it('drops our embed marker and keeps the rest', () => {
    expect(hostPath('/todos?embed=1')).toBe('/todos')
    expect(hostPath('/todos?tab=done&embed=1#x')).toBe('/todos?tab=done#x')
  })
})

describe('watchHeight', () => {
  it('reports once the size settles, and again only when it changed', () => {
    vi.useFakeTimers()
    const el = document.createElement('div')
    sized(el, 640)
    const heights: number[] = []
    const stop = watchHeight(el, (h) => heights.push(h), { Observer: FakeObserver })
    expect(FakeObserver.last!.observed).toEqual([el])
    expect(heights).toEqual([]) // debounced
    vi.advanceTimersByTime(HEIGHT_DEBOUNCE_MS)
    expect(heights).toEqual([640])

    // A burst of resizes is one report; the same height again is none (no resize loop).
    sized(el, 700.2)
    FakeObserver.last!.fire()
    FakeObserver.last!.fire()
    vi.advanceTimersByTime(HEIGHT_DEBOUNCE_MS)
    FakeObserver.last!.fire()
    vi.advanceTimersByTime(HEIGHT_DEBOUNCE_MS)
    expect(heights).toEqual([640, 701])

    stop()
    expect(FakeObserver.last!.disconnected).toBe(true)
    sized(el, 900)
    FakeObserver.last!.fire()
    vi.advanceTimersByTime(HEIGHT_DEBOUNCE_MS)
    expect(heights).toEqual([640, 701])
  })
})

describe('sign-in from inside a frame', () => {
  it('asks the BFF for the embedded login (SameSite=None cookies) only when embedded', async () => {
    expect(authLoginPath('/todos')).toBe('/auth/login?returnTo=%2Ftodos')
    embedded.value = true
    expect(authLoginPath('/todos')).toBe('/auth/login?returnTo=%2Ftodos&embed=1')

    const navigate = vi.fn()
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/todos', component: { render: () => null } }],
    })
    router.beforeEach(createSessionGuard({ ensureSession: async () => 'unauthenticated', navigate }))
    await router.push('/todos')
    expect(navigate).toHaveBeenCalledWith('/auth/login?returnTo=%2Ftodos&embed=1')
  })

  it('knows it is embedded from the first URL, before any route has resolved', async () => {
    window.history.replaceState(null, '', '/todos?embed=1')
    vi.resetModules()
    const fresh = await import('../src/lib/embed')
    expect(fresh.embedded.value).toBe(true)
    // Sticky for the tab: in-app links drop the query.
    window.history.replaceState(null, '', '/todos/td-1')
    vi.resetModules()
    expect((await import('../src/lib/embed')).embedded.value).toBe(true)
    sessionStorage.clear()
    vi.resetModules()
    expect((await import('../src/lib/embed')).embedded.value).toBe(false)
    window.history.replaceState(null, '', '/')
  })
})

describe('useEmbedBridge', () => {
  const fetchMock = vi.fn<typeof fetch>()
  let wrapper: VueWrapper | undefined
  let router: Router
  let postMessage: Mock<(msg: unknown, origin: string) => void>

  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock)
    vi.stubGlobal('ResizeObserver', FakeObserver)
    window.__PORTAL_BASE__ = undefined
    postMessage = vi.fn()
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = undefined
    fetchMock.mockReset()
  })

  /** BFF stand-in: app info with the given origins, the member, their todos. */
  function answer(origins: string[], pending = [sampleTodo(), hostTodo()]): void {
    const todos = fakeTodosFetch({ pending })
    fetchMock.mockImplementation(async (input) => {
      const url = String(input)
      if (url.endsWith('/api/app')) return jsonResponse(200, { mode: 'sandbox', corpId: 'ww', agentId: '1', embedOrigins: origins })
      if (url.endsWith('/api/me')) return jsonResponse(200, sampleMe())
      return todos(input)
    })
  }

  async function mountBridge(opts: { framed?: boolean; url?: string } = {}): Promise<HTMLElement> {
    const pinia = createPinia()
    setActivePinia(pinia)
    router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: { render: () => null } },
        { path: '/todos', component: { render: () => null } },
        { path: '/contacts', component: { render: () => null } },
      ],
    })
    await router.push(opts.url ?? '/')
    await router.isReady()
    const Shell = defineComponent({
      setup() {
        useEmbedBridge({
          root: useTemplateRef<HTMLElement>('root'),
          title: () => `${router.currentRoute.value.path === '/todos' ? '待办' : '首页'} · 门户`,
          host: opts.framed === false ? undefined : { postMessage },
        })
        return () => h('div', { ref: 'root' })
      },
    })
    wrapper = mount(Shell, { global: { plugins: [router, pinia] }, attachTo: document.body })
    sized(wrapper.element as HTMLElement, 812)
    await useAppStore().load()
    await useSessionStore().load()
    // The bridge is a lazy chunk, loaded only in a frame.
    await vi.dynamicImportSettled()
    await flushPromises()
    return wrapper.element as HTMLElement
  }

  const sent = () => postMessage.mock.calls.map(([msg, origin]) => ({ ...(msg as EmbedMessage), origin }))
  const ofType = (type: EmbedMessage['type']) => sent().filter((m) => m.type === type)

  it('says nothing outside a frame, without ?embed=1, or with no EMBED_ORIGINS', async () => {
    answer([HOST])
    embedded.value = true
    await mountBridge({ framed: false })
    await new Promise((r) => setTimeout(r, HEIGHT_DEBOUNCE_MS + 20))
    expect(postMessage).not.toHaveBeenCalled()
    wrapper!.unmount()

    embedded.value = false
    await mountBridge()
    expect(postMessage).not.toHaveBeenCalled()
    // Not embedded: the tab bar owns the count, the bridge asks for nothing.
    expect(fetchMock.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/api/todos'))).toEqual([])
    wrapper!.unmount()

    answer([])
    embedded.value = true
    await mountBridge()
    expect(postMessage).not.toHaveBeenCalled()
  })

  it('framed and embedded: ready, where it is, the pending count and its height, only to EMBED_ORIGINS', async () => {
    answer([HOST, 'https://portal-host.example.org'])
    embedded.value = true
    await mountBridge({ url: '/todos?embed=1' })
    await new Promise((r) => setTimeout(r, HEIGHT_DEBOUNCE_MS + 20))

    expect(new Set(postMessage.mock.calls.map((c) => c[1]))).toEqual(new Set([HOST, 'https://portal-host.example.org']))
    expect(sent()[0]).toEqual({ source: 'wecom-portal', type: 'ready', origin: HOST })
    expect(ofType('navigate')[0]).toEqual({ source: 'wecom-portal', type: 'navigate', path: '/todos', title: '待办 · 门户', origin: HOST })
    // The tab bar is hidden in a frame; the bridge fetched the count itself.
    expect(ofType('todos')[0]).toEqual({ source: 'wecom-portal', type: 'todos', pending: 2, origin: HOST })
    expect(ofType('height')[0]).toEqual({ source: 'wecom-portal', type: 'height', height: 812, origin: HOST })
  })

  it('follows navigation, height changes and a new pending count', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    answer([HOST])
    embedded.value = true
    const root = await mountBridge()
    await vi.advanceTimersByTimeAsync(HEIGHT_DEBOUNCE_MS)
    postMessage.mockClear()

    answer([HOST], [sampleTodo()])
    await router.push('/todos')
    await flushPromises()
    expect(ofType('navigate')).toEqual([{ source: 'wecom-portal', type: 'navigate', path: '/todos', title: '待办 · 门户', origin: HOST }])

    sized(root, 1200)
    FakeObserver.last!.fire()
    await vi.advanceTimersByTimeAsync(HEIGHT_DEBOUNCE_MS)
    expect(ofType('height')).toEqual([{ source: 'wecom-portal', type: 'height', height: 1200, origin: HOST }])

    // A route change refreshes the count once its answer is stale; the host hears the new number.
    await vi.advanceTimersByTimeAsync(11_000)
    await router.push('/contacts')
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(ofType('todos')).toEqual([{ source: 'wecom-portal', type: 'todos', pending: 1, origin: HOST }])
  })

  it('shown again (back from an approval in WeCom), asks for the count and tells the host', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    answer([HOST])
    embedded.value = true
    await mountBridge()
    await vi.advanceTimersByTimeAsync(HEIGHT_DEBOUNCE_MS)
    postMessage.mockClear()

    answer([HOST], [])
    await vi.advanceTimersByTimeAsync(6_000)
    document.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(ofType('todos')).toEqual([{ source: 'wecom-portal', type: 'todos', pending: 0, origin: HOST }])

    // Unmounted, the bridge stops listening: no more requests.
    wrapper!.unmount()
    wrapper = undefined
    fetchMock.mockClear()
    await vi.advanceTimersByTimeAsync(60_000)
    document.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
