import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref, type Ref } from 'vue'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { createPinia, type Pinia } from 'pinia'
import { useI18n } from '../src/i18n/use-i18n'
import { routes } from '../src/router/routes'
import { BADGE_DEBOUNCE_MS, TODOS_FRESH_MS, useTodosStore } from '../src/stores/todos'
import AppTabbar from '../src/components/layout/AppTabbar.vue'
import { useTodoBadge } from '../src/composables/use-todo-badge'
import { jsonResponse } from './fixtures'
import { fakeTodosFetch, hostTodo, sampleTodo } from './todo-fixtures'
import { eventually } from './wait'

const fetchMock = vi.fn<typeof fetch>()
let wrapper: VueWrapper | undefined
let router: Router
let pinia: Pinia

beforeEach(() => {
  useI18n().setLang('zh')
  vi.stubGlobal('fetch', fetchMock)
  window.__PORTAL_BASE__ = undefined
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  fetchMock.mockReset()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  useI18n().setLang('auto')
})

// What App does: the badge from useTodoBadge, passed to the bar as a prop.
const TabbarWithBadge = defineComponent(() => {
  const badge = useTodoBadge(ref(true))
  return () => h(AppTabbar, { badge: badge.value })
})

async function mountTabbar(url = '/'): Promise<VueWrapper> {
  router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(url)
  await router.isReady()
  pinia = createPinia()
  wrapper = mount(TabbarWithBadge, { global: { plugins: [router, pinia] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const todosTab = (w: VueWrapper) => w.find('[data-test="tab-todos"]')
const todoCalls = () => fetchMock.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/api/todos'))

describe('AppTabbar: failures first', () => {
  it('no badge while the count cannot be loaded, and none at zero', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    const w = await mountTabbar()
    expect(todosTab(w).find('.van-badge').exists()).toBe(false)
    expect(todosTab(w).text()).toBe('待办')
    w.unmount()

    fetchMock.mockImplementation(fakeTodosFetch({ pending: [] }))
    const w2 = await mountTabbar()
    expect(todoCalls()).toHaveLength(2)
    expect(todosTab(w2).find('.van-badge').exists()).toBe(false)
  })
})

describe('AppTabbar', () => {
  it('has 待办 between 通讯录 and 我的, with the pending count as its badge', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo(), hostTodo()], done: [sampleTodo({ id: 'x', status: 'done' })] }))
    const w = await mountTabbar()
    expect(w.findAll('.van-tabbar-item').map((i) => i.text().replace(/\d+/, ''))).toEqual(['首页', '通讯录', '待办', '我的'])
    expect(todosTab(w).find('.van-badge').text()).toBe('2')
    expect(todoCalls()).toEqual(['/api/todos?status=pending'])
  })

  it('caps the badge at 99+', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { items: [], counts: { pending: 120, done: 0 }, nextCursor: null }))
    const w = await mountTabbar()
    expect(todosTab(w).find('.van-badge').text()).toBe('99+')
  })

  it('stays active on a todo, and goes back to the list from there', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()] }))
    const w = await mountTabbar('/todos/td-1')
    expect(todosTab(w).classes()).toContain('van-tabbar-item--active')
    await todosTab(w).trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('todos'))
  })

  it('refetches, debounced, when the app is shown again; route changes only once the count is old', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()] }))
    const w = await mountTabbar()
    expect(todoCalls()).toHaveLength(1)

    // Back from WeCom a minute later (approved something): shown twice in a row → one request.
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [] }))
    vi.setSystemTime(Date.now() + 60_000)
    document.dispatchEvent(new Event('visibilitychange'))
    document.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(BADGE_DEBOUNCE_MS + 10)
    await flushPromises()
    expect(todoCalls()).toHaveLength(2)
    expect(todosTab(w).find('.van-badge').exists()).toBe(false)

    // A route change right after: the count is fresh, no request.
    await router.push('/me')
    await vi.advanceTimersByTimeAsync(BADGE_DEBOUNCE_MS + 10)
    expect(todoCalls()).toHaveLength(2)
    // Later on: refetched.
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo(), hostTodo(), hostTodo({ id: 'td-5' })] }))
    vi.setSystemTime(Date.now() + TODOS_FRESH_MS + 1)
    await router.push('/')
    await vi.advanceTimersByTimeAsync(BADGE_DEBOUNCE_MS + 10)
    await flushPromises()
    expect(todoCalls()).toHaveLength(3)
    expect(todosTab(w).find('.van-badge').text()).toBe('3')
  })

  it('shown again while the page has just fetched the pending list itself: no second request', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()] }))
    await mountTabbar('/todos')
    vi.setSystemTime(Date.now() + 60_000)
    // The list page refreshes on show at once; the bar's debounced check then finds it fresh.
    await useTodosStore(pinia).refresh('pending')
    document.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(BADGE_DEBOUNCE_MS + 10)
    expect(todoCalls()).toHaveLength(2)
  })
})

describe('AppTabbar takes its badge as a prop; App keeps the count with useTodoBadge', () => {
  it('the bar shows the badge it is given and fetches nothing itself (no store needed)', async () => {
    router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/')
    await router.isReady()
    wrapper = mount(AppTabbar, { props: { badge: 7 }, global: { plugins: [router] }, attachTo: document.body })
    await flushPromises()
    expect(todosTab(wrapper).find('.van-badge').text()).toBe('7')
    await wrapper.setProps({ badge: undefined })
    expect(todosTab(wrapper).find('.van-badge').exists()).toBe(false)
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('fetches only while the bar is shown: when it appears, not on route changes while hidden', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()] }))
    router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/')
    await router.isReady()
    const shown = ref(false)
    let badge: Readonly<Ref<number | undefined>> | undefined
    const Host = defineComponent(() => {
      badge = useTodoBadge(shown)
      return () => null
    })
    wrapper = mount(Host, { global: { plugins: [router, createPinia()] } })
    await flushPromises()
    expect(todoCalls()).toHaveLength(0)

    shown.value = true
    await flushPromises()
    expect(todoCalls()).toHaveLength(1)
    expect(badge!.value).toBe(1)

    // Hidden (an admin page), a minute later: route changes fetch nothing.
    shown.value = false
    vi.setSystemTime(Date.now() + 60_000)
    await router.push('/me')
    await vi.advanceTimersByTimeAsync(BADGE_DEBOUNCE_MS + 10)
    expect(todoCalls()).toHaveLength(1)
  })
})
