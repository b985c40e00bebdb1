import { describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import TodoActions from '../src/components/todos/TodoActions.vue'
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

async function open(url: string): Promise<VueWrapper> {
  ;({ wrapper, router } = await mountRoutes(url))
  await flushPromises()
  return wrapper
}

const calls = () => fetchMock.mock.calls.map((c) => String(c[0]))

describe('TodoDetailPage: failures first', () => {
  it("someone else's or a deleted todo (404) gets its own state with a way to the list", async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()] }))
    const w = await open('/todos/not-mine')
    const panel = w.find('[data-test="todo-not-found"]')
    expect(panel.text()).toContain('找不到这条待办')
    expect(panel.text()).toContain('待办只有本人能看到')
    expect(w.text()).not.toContain('加载失败')
    await panel.find('button').trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('todos'))
  })

  it('a failed load offers a retry that loads the todo', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()] }))
    const w = await open('/todos/td-1')
    expect(w.text()).toContain('加载失败')
    await w.find('.load-error__button').trigger('click')
    await flushPromises()
    expect(w.find('h1').text()).toBe('差旅报销：上海客户拜访 2,380 元')
  })

  it('a link that is not a web address never becomes a button', async () => {
    const bad = hostTodo({ link: 'javascript:alert(1)' })
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [bad] }))
    const w = await open('/todos/td-2')
    expect(w.find('[data-test="todo-action"]').exists()).toBe(false)
    expect(w.find('[data-test="todo-no-link"]').text()).toContain('没有可打开的链接')
    expect(w.html()).not.toContain('javascript:')
  })

  it('outside WeCom there is no 转发', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()] }))
    const w = await open('/todos/td-1')
    expect(w.find('[data-test="todo-action"]').exists()).toBe(true)
    expect(w.find('[data-test="todo-share"]').exists()).toBe(false)
    expect(w.text()).not.toContain('转发')
  })
})

describe('TodoDetailPage', () => {
  it('works as a cold entry (the WeCom card link): one request, the whole todo', async () => {
    const todo = sampleTodo({ dueAt: '2026-11-22T10:00:00.000Z', updatedAt: '2026-11-21T01:00:00.000Z' })
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [todo] }))
    const w = await open('/todos/td-1')
    expect(calls()).toEqual(['/api/todos/td-1'])
    expect(w.find('h1').text()).toBe('差旅报销：上海客户拜访 2,380 元')
    expect(w.find('[data-test="todo-status"]').text()).toBe('待处理')
    expect(w.find('[data-test="todo-source"]').text()).toBe('审批')
    expect(w.find('[data-test="fact-approvalNo"]').text()).toContain('202611200001')
    for (const k of ['createdAt', 'updatedAt', 'dueAt']) expect(w.find(`[data-test="fact-${k}"]`).exists()).toBe(true)
    expect(w.find('[data-test="todo-summary"]').text()).toBe('报销 · 王芳 提交于 2026-11-20 16:12')
  })

  it('an approval opens the approval in this window: 查看审批', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()] }))
    const w = await open('/todos/td-1')
    const action = w.find('[data-test="todo-action"]')
    expect(action.element.tagName).toBe('A')
    expect(action.text()).toBe('查看审批')
    expect(action.attributes('href')).toBe('https://work.weixin.qq.com/approval/detail?sp_no=202611200001')
    expect(action.attributes('target')).toBeUndefined()
  })

  it("a host task: 去处理 opens the host's page; once done the todo says so", async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [hostTodo()] }))
    const w = await open('/todos/td-2')
    expect(w.find('[data-test="todo-action"]').text()).toBe('去处理')
    expect(w.find('[data-test="todo-action"]').attributes('href')).toBe('https://erp.example.cn/schedule/confirm?id=88')
    expect(w.find('[data-test="todo-source"]').text()).toBe('排班系统')
    expect(w.find('[data-test="fact-approvalNo"]').exists()).toBe(false)

    wrapper!.unmount()
    fetchMock.mockImplementation(fakeTodosFetch({ done: [hostTodo({ status: 'done' })] }))
    const w2 = await open('/todos/td-2')
    expect(w2.find('[data-test="todo-status"]').text()).toBe('已完成')
    expect(w2.find('[data-test="todo-closed"]').text()).toContain('已完成，无需再处理')
    expect(w2.find('[data-test="todo-action"]').text()).toBe('查看')
  })

  it('the requester opens their directory card', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()] }))
    const w = await open('/todos/td-1')
    const link = w.find('[data-test="requester-link"]')
    expect(link.text()).toContain('王芳')
    expect(link.attributes('href')).toBe('/contacts/members/wangfang')
    fetchMock.mockResolvedValue(new Response(null, { status: 404 }))
    await link.trigger('click')
    await eventually(() => expect(router.currentRoute.value.name).toBe('member'))
  })

  it('coming back to the app fetches the todo again (it may have been approved meanwhile)', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo()] }))
    const w = await open('/todos/td-1')
    fetchMock.mockImplementation(fakeTodosFetch({ done: [sampleTodo({ status: 'done' })] }))
    document.dispatchEvent(new Event('visibilitychange'))
    await flushPromises()
    expect(calls()).toEqual(['/api/todos/td-1', '/api/todos/td-1'])
    expect(w.find('[data-test="todo-status"]').text()).toBe('已完成')
  })
})

describe('TodoActions', () => {
  it('shows 转发 only with canShare and emits share', async () => {
    const hidden = mount(TodoActions, { props: { todo: sampleTodo(), canShare: false } })
    expect(hidden.find('[data-test="todo-share"]').exists()).toBe(false)

    const shown = mount(TodoActions, { props: { todo: sampleTodo(), canShare: true } })
    await shown.find('[data-test="todo-share"]').trigger('click')
    expect(shown.emitted('share')).toHaveLength(1)
  })
})
