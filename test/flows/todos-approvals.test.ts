import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'
import { leave } from '../support/approvals'

async function todosOf(stack: Stack, spNo: string) {
  return stack.deps.db.query<{ assignee: string; status: string; title: string }>("select assignee, status, title from todos where origin = $1 and source = 'approval' order by assignee", [spNo])
}

describe.each([
  ['through callbacks', true],
  ['through the catch-up alone', false],
] as const)('approval todos %s', (_label, viaCallbacks) => {
  let stack: Stack
  // Callbacks, or nothing but the scheduled catch-up (as when callbacks are not configured).
  const settle = async () => {
    if (viaCallbacks) await stack.deps.callbacks.worker.drain()
    else await stack.deps.approvals.catchUp()
  }
  const act = async (spNo: string, userid: string, action: string) => {
    await sandboxAdmin(stack, 'POST', `approvals/${spNo}/act`, { userid, action })
    await settle()
  }
  const submit = async (body: unknown) => {
    const { sp_no } = (await sandboxAdmin(stack, 'POST', 'approvals', body)) as { sp_no: string }
    await settle()
    return sp_no
  }

  beforeAll(async () => {
    stack = await startStack(viaCallbacks ? {} : { sandbox: { callback: undefined } })
    expect((await syncOnce(stack)).status).toBe('succeeded')
  })
  afterAll(() => stack.close())

  it('a submitted approval becomes a pending todo for each current approver, with one notification each', async () => {
    const spNo = await submit(leave(['zhangsan', 'zhouba']))
    expect(await todosOf(stack, spNo)).toEqual([
      { assignee: 'zhangsan', status: 'pending', title: '李四的请假' },
      { assignee: 'zhouba', status: 'pending', title: '李四的请假' },
    ])
    const outbox = await stack.deps.db.query<{ userid: string; message: { template_card: { card_action: { url: string } } } | string }>(
      "select o.userid, o.message from outbox o join todos t on o.ref_kind = 'todo' and t.id = o.ref_id where t.origin = $1 order by o.userid",
      [spNo],
    )
    expect(outbox.map((o) => o.userid)).toEqual(['zhangsan', 'zhouba'])
    const card = typeof outbox[0]!.message === 'string' ? JSON.parse(outbox[0]!.message) : outbox[0]!.message
    const link = new URL(card.template_card.card_action.url)
    expect(`${link.origin}${link.pathname}`).toBe(`${stack.appUrl}/auth/login`)
    expect(link.searchParams.get('returnTo')).toMatch(/^\/todos\/[\w-]+$/)
    // The submit time is written in the corp's zone (Asia/Shanghai by default), never as UTC.
    const [todo] = await stack.deps.db.query<{ summary: string; created_at: Date }>("select summary, created_at from todos where origin = $1 and source = 'approval' limit 1", [spNo])
    const shanghai = new Date(new Date(todo!.created_at).getTime() + 8 * 3600_000).toISOString().slice(0, 13).replace('T', ' ')
    expect(todo!.summary).toMatch(new RegExp(`^请假 · 李四 提交于 ${shanghai}:\\d\\d$`))
    await settle() // repeated events change nothing
    expect(await todosOf(stack, spNo)).toHaveLength(2)
    // In sandbox mode 查看审批 opens the sandbox's approval page (this stack plays a real corp,
    // so its todos link to WeCom's): a page a person can read and act on.
    const page = await fetch(`${stack.sandboxUrl}/sandbox/approvals/${spNo}`)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(await page.text()).toContain('以张三身份同意')
  })

  it('或签: one approver decides, the other todo is cancelled', async () => {
    const spNo = await submit(leave(['zhangsan', 'zhouba']))
    const open = async (who: string) => (await stack.deps.todoLists.list(who, 'pending')).items.filter((t) => t.origin === spNo).map((t) => t.status)
    // The members' lists, read (and kept) before the decision, show it at once after.
    expect([await open('zhangsan'), await open('zhouba')]).toEqual([['pending'], ['pending']])
    await act(spNo, 'zhangsan', 'approve')
    expect([await open('zhangsan'), await open('zhouba')]).toEqual([[], []])
    expect(await todosOf(stack, spNo)).toEqual([
      { assignee: 'zhangsan', status: 'done', title: '李四的请假' },
      { assignee: 'zhouba', status: 'cancelled', title: '李四的请假' },
    ])
  })

  it('会签: each approval closes that approver only, a rejection ends it', async () => {
    const spNo = await submit(leave(['zhangsan', 'zhouba', 'wujiu'], 2))
    await act(spNo, 'zhangsan', 'approve')
    expect((await todosOf(stack, spNo)).map((t) => t.status)).toEqual(['pending', 'done', 'pending'])
    await act(spNo, 'zhouba', 'reject')
    expect((await todosOf(stack, spNo)).map((t) => [t.assignee, t.status])).toEqual([
      ['wujiu', 'cancelled'],
      ['zhangsan', 'done'],
      ['zhouba', 'done'],
    ])
  })

  it('deleted: the catch-up closes its todos (WeCom sends no event for a deletion)', async () => {
    const spNo = await submit(leave(['zhangsan']))
    await sandboxAdmin(stack, 'POST', `approvals/${spNo}/act`, { userid: 'lisi', action: 'delete' })
    await stack.deps.approvals.catchUp()
    expect((await todosOf(stack, spNo)).map((t) => t.status)).toEqual(['cancelled'])
  })

  it('revoked by the applicant: open todos are cancelled', async () => {
    const spNo = await submit(leave(['zhangsan']))
    await act(spNo, 'lisi', 'revoke')
    expect((await todosOf(stack, spNo)).map((t) => t.status)).toEqual(['cancelled'])
  })
})
