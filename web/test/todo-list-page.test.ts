import { describe, expect, it } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { jsonResponse } from './fixtures'
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
  return wrapper
}

const todoCalls = () => fetchMock.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/api/todos'))
const pending = [sampleTodo(), hostTodo(), sampleTodo({ id: 'td-3', title: '采购申请：办公椅 12 把', requester: null })]
const done = [sampleTodo({ id: 'td-8', status: 'done', title: '年假申请' }), hostTodo({ id: 'td-9', status: 'cancelled', title: '旧排班确认' })]

describe('TodoListPage: failures first', () => {
  it('a failed first load shows an error with retry, which loads the list', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    fetchMock.mockImplementation(fakeTodosFetch({ pending, done }))
    const w = await open('/todos')
    expect(w.find('[data-test="todos-error"]').text()).toContain('网络连接不稳定')
    await w.find('[data-test="notice-action"]').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-test="todo-cell"]')).toHaveLength(3)
  })

  it('a failed pull-to-refresh keeps the list and offers a retry', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending, done }))
    const w = await open('/todos')
    fetchMock.mockResolvedValueOnce(jsonResponse(500, { error: { code: 'internal', message: 'boom' } }))
    w.findComponent({ name: 'van-pull-refresh' }).vm.$emit('refresh')
    await flushPromises()
    expect(w.findAll('[data-test="todo-cell"]')).toHaveLength(3)
    expect(w.find('[data-test="refresh-failed"]').text()).toContain('刷新失败')
    await w.find('[data-test="refresh-failed"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test="refresh-failed"]').exists()).toBe(false)
  })

  it('older done todos: a page that fails to come says so, and a retry brings it', async () => {
    const many = Array.from({ length: 5 }, (_, i) => sampleTodo({ id: `old-${i}`, status: 'done', title: `旧事项 ${i}` }))
    let failing = true
    fetchMock.mockImplementation(fakeTodosFetch({ pending, done: many, pageSize: 2, failMore: () => failing }))
    const w = await open('/todos?tab=done')
    const panel = () => w.find('[data-test="panel-done"]')
    expect(panel().findAll('[data-test="todo-cell"]')).toHaveLength(2)
    await panel().find('[data-test="todos-load-more"]').trigger('click')
    await flushPromises()
    expect(panel().find('[data-test="todos-more-error"]').text()).toContain('加载失败')
    expect(panel().findAll('[data-test="todo-cell"]')).toHaveLength(2)
    failing = false
    await panel().find('[data-test="todos-more-error"] [data-test="notice-action"]').trigger('click')
    await flushPromises()
    expect(panel().findAll('[data-test="todo-cell"]')).toHaveLength(4)
  })

  it('nothing pending: an empty state, not an empty card', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [], done }))
    const w = await open('/todos')
    expect(w.find('[data-test="todos-empty"]').text()).toContain('没有待处理的事项')
    expect(w.find('[data-test="tab-pending"]').text()).toBe('待处理0')
  })
})

describe('TodoListPage', () => {
  it('shows a skeleton, then pending todos with both counts in the tab titles', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const fake = fakeTodosFetch({ pending, done })
    fetchMock.mockImplementation(async (input) => {
      await gate
      return fake(input)
    })
    const w = await open('/todos')
    expect(w.find('[data-test="skeleton"]').exists()).toBe(true)
    expect(w.find('[data-test="tab-count"]').exists()).toBe(false)
    release()
    await flushPromises()
    expect(w.find('[data-test="skeleton"]').exists()).toBe(false)
    expect(w.find('[data-test="tab-pending"]').text()).toBe('待处理3')
    expect(w.find('[data-test="tab-done"]').text()).toBe('已处理2')
    const cells = w.findAll('[data-test="todo-cell"]')
    expect(cells[0]!.text()).toContain('差旅报销：上海客户拜访 2,380 元')
    expect(cells[0]!.text()).toContain('王芳')
    expect(cells[0]!.find('[data-test="todo-source"]').text()).toBe('审批')
    expect(cells[1]!.find('[data-test="todo-source"]').text()).toBe('排班系统')
    expect(cells[0]!.attributes('href')).toBe('/todos/td-1')
    expect(todoCalls()).toEqual(['/api/todos?status=pending'])
  })

  it('older done todos come a page at a time, under the list, until none is left', async () => {
    const many = Array.from({ length: 5 }, (_, i) => sampleTodo({ id: `old-${i}`, status: 'done', title: `旧事项 ${i}` }))
    fetchMock.mockImplementation(fakeTodosFetch({ pending, done: many, pageSize: 2 }))
    const w = await open('/todos?tab=done')
    const panel = () => w.find('[data-test="panel-done"]')
    const titles = () => panel().findAll('[data-test="todo-cell"]').map((c) => c.text().match(/旧事项 \d/)![0])
    expect(titles()).toEqual(['旧事项 0', '旧事项 1'])
    for (const expected of [4, 5]) {
      expect(panel().find('[data-test="todos-load-more"]').text()).toBe('加载更早的事项')
      await panel().find('[data-test="todos-load-more"]').trigger('click')
      await flushPromises()
      expect(titles()).toHaveLength(expected)
    }
    expect(titles()).toEqual(['旧事项 0', '旧事项 1', '旧事项 2', '旧事项 3', '旧事项 4'])
    expect(panel().find('[data-test="todos-more"]').exists()).toBe(false)
    expect(todoCalls().filter((u) => u.includes('status=done'))).toEqual(['/api/todos?status=done', '/api/todos?status=done&cursor=p2', '/api/todos?status=done&cursor=p4'])
    // A refresh starts from the first page again.
    w.findAllComponents({ name: 'van-pull-refresh' })
      .find((c) => c.attributes('data-test') === 'panel-done')!
      .vm.$emit('refresh')
    await flushPromises()
    expect(titles()).toHaveLength(2)
  })

  it('pull to refresh fetches the open tab again', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending, done }))
    const w = await open('/todos')
    const more = [...pending, hostTodo({ id: 'td-4', title: '新任务：提交周报' })]
    fetchMock.mockImplementation(fakeTodosFetch({ pending: more, done }))
    const pull = w.findComponent({ name: 'van-pull-refresh' })
    pull.vm.$emit('update:modelValue', true)
    pull.vm.$emit('refresh')
    await flushPromises()
    expect(todoCalls()).toEqual(['/api/todos?status=pending', '/api/todos?status=pending'])
    expect(w.findAll('[data-test="todo-cell"]')).toHaveLength(4)
    expect(w.find('[data-test="tab-pending"]').text()).toBe('待处理4')
    // The spinner stops once the answer is in.
    expect(pull.props('modelValue')).toBe(false)
  })

  it('the 已处理 tab lists done and cancelled with their status, and lives in the URL', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending, done }))
    const w = await open('/todos')
    await w.findAll('[role="tab"]')[1]!.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/todos?tab=done')
    expect(todoCalls()).toEqual(['/api/todos?status=pending', '/api/todos?status=done'])
    const panel = w.find('[data-test="panel-done"]')
    expect(panel.findAll('[data-test="todo-status"]').map((s) => s.text())).toEqual(['已完成', '已取消'])
    // Pull on this tab refreshes this tab.
    w.findAllComponents({ name: 'van-pull-refresh' }).at(-1)!.vm.$emit('refresh')
    await flushPromises()
    expect(todoCalls().at(-1)).toBe('/api/todos?status=done')
  })

  it('opens on 已处理 from ?tab=done, and a tap opens the todo', async () => {
    fetchMock.mockImplementation(fakeTodosFetch({ pending, done }))
    const w = await open('/todos?tab=done')
    expect(w.find('[data-test="panel-done"]').findAll('[data-test="todo-cell"]')).toHaveLength(2)
    await w.find('[data-test="panel-done"] [data-test="todo-cell"]').trigger('click')
    // The detail page is a lazy chunk.
    await eventually(() => expect(router.currentRoute.value.path).toBe('/todos/td-8'))
    await flushPromises()
    expect(w.find('h1').text()).toBe('年假申请')
  })

  it('highlights due times that are close or past on pending todos only', async () => {
    const soon = new Date(Date.now() + 3 * 3600_000).toISOString()
    const past = new Date(Date.now() - 26 * 3600_000).toISOString()
    const later = new Date(Date.now() + 9 * 86_400_000).toISOString()
    fetchMock.mockImplementation(
      fakeTodosFetch({
        pending: [sampleTodo({ id: 'a', dueAt: soon }), sampleTodo({ id: 'b', dueAt: past }), sampleTodo({ id: 'c', dueAt: later })],
        done: [sampleTodo({ id: 'd', status: 'done', dueAt: past })],
      }),
    )
    const w = await open('/todos')
    const tones = w.findAll('[data-test="todo-due"]').map((d) => d.attributes('data-tone'))
    expect(tones).toEqual(['soon', 'overdue', 'later'])
    expect(w.findAll('[data-test="todo-due"]')[1]!.text()).toContain('已逾期')
  })
})
