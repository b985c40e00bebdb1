import { describe, expect, it } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { jsonResponse, sampleMe } from './fixtures'
import { fakeTodosFetch, hostTodo, sampleTodo } from './todo-fixtures'
import { mountRoutes } from './route-mount'
import { usePageEnv } from './page-env'
import { eventually } from './wait'

let wrapper: VueWrapper | undefined
let router: Router
const fetchMock = usePageEnv(() => {
  wrapper?.unmount()
  wrapper = undefined
})

/** The home page with a signed-in member and these todos. */
async function openHome(todos: (input: RequestInfo | URL) => Promise<Response>): Promise<VueWrapper> {
  fetchMock.mockImplementation(async (input) => (String(input).endsWith('/api/me') ? jsonResponse(200, sampleMe()) : todos(input)))
  ;({ wrapper, router } = await mountRoutes('/'))
  const { useSessionStore } = await import('../src/stores/session')
  await useSessionStore().load()
  await flushPromises()
  return wrapper
}

describe('home 待办 card: failures first', () => {
  it('a failed count still leads to the list, saying it could not load', async () => {
    const w = await openHome(async () => {
      throw new TypeError('Failed to fetch')
    })
    const card = w.find('[data-test="home-todos"]')
    expect(card.find('[data-test="home-todos-error"]').exists()).toBe(true)
    expect(card.find('[data-test="home-todos-count"]').exists()).toBe(false)
    expect(card.attributes('href')).toBe('/todos')
  })

  it('nothing pending: says so, no badge', async () => {
    const w = await openHome(fakeTodosFetch({ pending: [] }))
    expect(w.find('[data-test="home-todos-empty"]').text()).toContain('暂无待处理事项')
    expect(w.find('[data-test="home-todos-count"]').exists()).toBe(false)
  })
})

describe('home 待办 card', () => {
  it('shows the pending count as a badge and the first three titles; tap opens the list', async () => {
    const pending = [sampleTodo(), hostTodo(), sampleTodo({ id: 'c', title: '采购申请：办公椅 12 把' }), sampleTodo({ id: 'd', title: '第四项' })]
    const w = await openHome(fakeTodosFetch({ pending }))
    const card = w.find('[data-test="home-todos"]')
    expect(card.find('[data-test="home-todos-count"]').text()).toBe('4')
    expect(card.findAll('[data-test="home-todo"]').map((r) => r.text().split(/\s/)[0])).toEqual([
      '差旅报销：上海客户拜访',
      '确认',
      '采购申请：办公椅',
    ])
    expect(card.text()).toContain('还有 1 项')
    expect(card.text()).not.toContain('第四项')
    await card.trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('todos'))
  })
})
