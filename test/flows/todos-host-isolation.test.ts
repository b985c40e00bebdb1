import { apiErrorSchema } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'
import { leave } from '../support/approvals'

/** The first sp_no of the corp's calendar day (China time) `days` from now: WeCom's yyyymmdd + 0001. */
const firstSpNo = (days: number) => `${new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')}0001`

// Issue 10: host todos and approval todos shared one `<origin>:<ref>` key, so a host named like an
// approval number (the name rule allows digits) could rewrite that approval's todos.
describe('a host named like an approval number', () => {
  let stack: Stack
  let spNo: string
  // The first approval of the sandbox takes today's first number (tomorrow's, should the day turn).
  const keys = new Map([0, 1].map((d) => [firstSpNo(d), `approval-lookalike-key-${d}-0123456789`]))
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${stack.appUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${keys.get(spNo)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as unknown }
  }
  const todosOf = (origin: string) =>
    stack.deps.db.query<{ source: string; assignee: string; title: string; link: string; status: string }>(
      'select source, assignee, title, link, status from todos where origin = $1 order by source, assignee',
      [origin],
    )

  beforeAll(async () => {
    stack = await startStack({ env: { HOST_API_KEYS: [...keys].map(([name, key]) => `${name}:${key}`).join(',') } })
    expect((await syncOnce(stack)).status).toBe('succeeded')
    const submitted = (await sandboxAdmin(stack, 'POST', 'approvals', leave(['zhangsan']))) as { sp_no: string }
    spNo = submitted.sp_no
    await stack.deps.callbacks.worker.drain()
    expect(keys.has(spNo)).toBe(true)
  })
  afterAll(() => stack.close())

  const approvalTodo = async () => (await todosOf(spNo)).find((t) => t.source === 'approval')

  it('cannot PATCH the approval todo: 404, and the todo is unchanged', async () => {
    const before = await approvalTodo()
    expect(before).toMatchObject({ assignee: 'zhangsan', status: 'pending', title: '李四的请假' })
    const r = await call('PATCH', '/api/host/todos/zhangsan', { title: '请点击重新登录', link: 'https://phish.example/login' })
    expect(r.status).toBe(404)
    expect(apiErrorSchema.parse(r.body).error.code).toBe('not_found')
    expect(await approvalTodo()).toEqual(before)
  })

  it('a POST with the approver as externalId makes a todo of its own, leaving the approval todo alone', async () => {
    const before = await approvalTodo()
    const r = await call('POST', '/api/host/todos', { externalId: 'zhangsan', assignee: 'zhangsan', title: '请点击重新登录', link: 'https://phish.example/login', notify: false })
    expect(r.status).toBe(201)
    expect(await approvalTodo()).toEqual(before)
    expect((await todosOf(spNo)).map((t) => [t.source, t.title])).toEqual([
      ['approval', '李四的请假'],
      ['host', '请点击重新登录'],
    ])
  })

  it('the approval deciding closes its own todos only, not the host\'s', async () => {
    expect((await call('POST', '/api/host/todos', { externalId: 'other', assignee: 'lisi', title: '周报', link: 'https://oa.example.com/r/1', notify: false })).status).toBe(201)
    await sandboxAdmin(stack, 'POST', `approvals/${spNo}/act`, { userid: 'zhangsan', action: 'approve' })
    await stack.deps.callbacks.worker.drain()
    expect((await todosOf(spNo)).map((t) => [t.source, t.assignee, t.status])).toEqual([
      ['approval', 'zhangsan', 'done'],
      ['host', 'lisi', 'pending'],
      ['host', 'zhangsan', 'pending'],
    ])
  })
})
