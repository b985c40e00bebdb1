import { apiErrorSchema, hostTodoSchema, todoListSchema, todoSchema } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'
import { sandboxAdmin, syncOnce } from '../support/sync'

const KEY = 'oa-member-flow-key-0123456789abcd'

let stack: Stack
const ids: Record<string, string> = {}
const browsers: Record<string, TestBrowser> = {}

async function hostTodo(externalId: string, assignee: string, extra: object = {}): Promise<string> {
  const res = await fetch(`${stack.appUrl}/api/host/todos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ externalId, assignee, title: `待办 ${externalId}`, link: `https://oa.example.com/t/${externalId}`, requester: 'zhangsan', ...extra }),
  })
  expect(res.status).toBe(201)
  return hostTodoSchema.parse(await res.json()).id
}
const get = async (who: string, path: string) => {
  const res = await browsers[who]!.request(`${stack.appUrl}${path}`)
  return { status: res.status, body: (await res.json()) as unknown }
}

beforeAll(async () => {
  stack = await startStack({ env: { HOST_API_KEYS: `oa:${KEY}` } })
  expect((await syncOnce(stack)).status).toBe('succeeded')
  for (const who of ['lisi', 'wujiu']) {
    browsers[who] = new TestBrowser(UA.wecomMobile)
    await browsers[who].go(`${stack.appUrl}/auth/login`, signedInAs(who))
  }
  // 李四: two pending, one done, one cancelled; 吴九: one pending.
  ids.first = await hostTodo('m-1', 'lisi', { summary: '第一项' })
  await new Promise((r) => setTimeout(r, 5)) // so "newest first" has a clear answer
  ids.second = await hostTodo('m-2', 'lisi')
  ids.done = await hostTodo('m-3', 'lisi', { status: 'done' })
  ids.cancelled = await hostTodo('m-4', 'lisi', { status: 'cancelled' })
  ids.others = await hostTodo('m-5', 'wujiu')
})
afterAll(() => stack.close())

describe('member todo routes', () => {
  it('are for signed-in members only', async () => {
    for (const path of ['/api/todos', '/api/todos?status=done', `/api/todos/${ids.first}`]) {
      const res = await fetch(`${stack.appUrl}${path}`)
      expect(res.status, path).toBe(401)
      expect(apiErrorSchema.parse(await res.json()).error.code).toBe('unauthenticated')
    }
  })

  it('rejects a status other than pending or done, naming it', async () => {
    for (const status of ['cancelled', 'all', '']) {
      const r = await get('lisi', `/api/todos?status=${status}`)
      expect(r.status, status).toBe(400)
      expect(apiErrorSchema.parse(r.body).error.fields).toEqual({ status: 'expected pending or done' })
    }
  })

  it('answers 404 for another member\'s todo exactly as for a missing one', async () => {
    const others = await get('lisi', `/api/todos/${ids.others}`)
    const missing = await get('lisi', '/api/todos/no-such-todo')
    expect([others.status, missing.status]).toEqual([404, 404])
    const strip = (b: unknown) => ({ ...apiErrorSchema.parse(b).error, requestId: undefined })
    expect(strip(others.body)).toEqual(strip(missing.body))
  })

  it('lists only the member\'s own pending todos, newest first, with both counts', async () => {
    const r = await get('lisi', '/api/todos')
    expect(r.status).toBe(200)
    const list = todoListSchema.parse(r.body)
    expect(list.items.map((t) => t.id)).toEqual([ids.second, ids.first])
    expect(list.counts).toEqual({ pending: 2, done: 2 })
    expect(list.items[1]).toMatchObject({ source: 'host', origin: 'oa', summary: '第一项', status: 'pending', requester: { userid: 'zhangsan', name: '张三' }, link: 'https://oa.example.com/t/m-1' })
    expect(todoListSchema.parse((await get('lisi', '/api/todos?status=pending')).body)).toEqual(list)

    const theirs = todoListSchema.parse((await get('wujiu', '/api/todos')).body)
    expect([theirs.items.map((t) => t.id), theirs.counts]).toEqual([[ids.others], { pending: 1, done: 0 }])
  })

  it('lists done and cancelled under done', async () => {
    const list = todoListSchema.parse((await get('lisi', '/api/todos?status=done')).body)
    expect(list.items.map((t) => [t.id, t.status]).sort()).toEqual([[ids.cancelled, 'cancelled'], [ids.done, 'done']].sort())
  })

  it('shows one of the member\'s todos', async () => {
    const r = await get('lisi', `/api/todos/${ids.first}`)
    expect(r.status).toBe(200)
    expect(todoSchema.parse(r.body)).toMatchObject({ id: ids.first, title: '待办 m-1', dueAt: null, requester: { userid: 'zhangsan', name: '张三' } })
  })

  it('shows a host\'s change at once: done, handed to someone else, new', async () => {
    const pending = async (who: string) => todoListSchema.parse((await get(who, '/api/todos')).body).items.map((t) => t.id)
    const patch = (externalId: string, body: object) =>
      fetch(`${stack.appUrl}/api/host/todos/${externalId}`, { method: 'PATCH', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    // Both lists read (and so kept in memory) before each change.
    expect([await pending('lisi'), await pending('wujiu')]).toEqual([[ids.second, ids.first], [ids.others]])
    expect((await patch('m-2', { status: 'done' })).status).toBe(200)
    expect(await pending('lisi')).toEqual([ids.first])
    expect((await patch('m-1', { assignee: 'wujiu' })).status).toBe(200)
    expect([await pending('lisi'), (await pending('wujiu')).sort()]).toEqual([[], [ids.first, ids.others].sort()])
    const added = await hostTodo('m-6', 'lisi')
    expect(await pending('lisi')).toEqual([added])
    expect(todoListSchema.parse((await get('lisi', '/api/todos?status=done')).body).counts).toEqual({ pending: 1, done: 3 })
  })

  it('shows a requester\'s new name once the directory has it, though no todo changed', async () => {
    // The list is kept in memory, its JSON too: the rename must still reach it.
    const requester = async () => todoListSchema.parse((await get('lisi', '/api/todos')).body).items[0]?.requester
    expect(await requester()).toEqual({ userid: 'zhangsan', name: '张三' })
    await sandboxAdmin(stack, 'PATCH', 'org/users/zhangsan', { name: '张三丰' })
    try {
      expect((await syncOnce(stack)).status).toBe('succeeded')
      // The read model is rebuilt after the sync without holding requests: soon, not at once.
      await expect.poll(requester, { timeout: 10_000, interval: 100 }).toEqual({ userid: 'zhangsan', name: '张三丰' })
    } finally {
      await sandboxAdmin(stack, 'PATCH', 'org/users/zhangsan', { name: '张三' })
    }
  })
})
