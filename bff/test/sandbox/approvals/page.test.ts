import { afterEach, describe, expect, it } from 'vitest'
import { createApproval, withReceiver } from './helpers'
import { setup } from '../helpers'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length) await closers.pop()!()
})

const actForm = (t: ReturnType<typeof setup>, spNo: string, body: string) =>
  t.app.request(`/sandbox/approvals/${spNo}/act`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })

// The page the app's 查看审批 opens in sandbox mode: readable, and the people in the flow can act.
describe('sandbox approval page', () => {
  it('answers 404 in words for an unknown approval, and refuses an act with no one or the wrong one', async () => {
    const t = setup()
    const missing = await t.get('/sandbox/approvals/202601010001')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/text\/html/)
    expect(await missing.text()).toContain('审批单不存在')
    const spNo = await createApproval(t)
    expect((await actForm(t, spNo, 'action=approve')).status).toBe(400)
    expect((await actForm(t, spNo, 'userid=zhangsan&action=delete')).status).toBe(400)
    // lisi applied; only zhangsan decides.
    const wrong = await actForm(t, spNo, 'userid=lisi&action=approve')
    expect(wrong.status).toBe(400)
    expect((await t.json(`/sandbox/admin/approvals/${spNo}`)).approval).toMatchObject({ sp_status: 1 })
  })

  it('shows the form, its flow and who must act, escaped, as a page and not JSON', async () => {
    const t = setup()
    const spNo = await createApproval(t, { apply_data: { contents: [{ control: 'Textarea', id: 'Textarea-1570000000004', value: { text: '<script>x</script>家中有事' } }] } })
    const res = await t.get(`/sandbox/approvals/${spNo}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    const page = await res.text()
    expect(page).toContain('审批中')
    expect(page).toContain('李四 提交于')
    expect(page).toContain('&lt;script&gt;x&lt;/script&gt;家中有事')
    expect(page).not.toContain('<script>x')
    expect(page).toContain('以张三身份同意')
    expect(page).toContain('以张三身份驳回')
    expect(page).toContain('以李四身份撤销')
  })

  it('同意 decides the approval as the admin API would, pushes the callback, and comes back to the page', async () => {
    const { t, receiver } = await withReceiver(closers)
    const spNo = await createApproval(t)
    const res = await actForm(t, spNo, 'userid=zhangsan&action=approve')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/sandbox/approvals/${spNo}`)
    expect((await t.json(`/sandbox/admin/approvals/${spNo}`)).approval).toMatchObject({ sp_status: 2 })
    await expect.poll(() => receiver.received.length).toBeGreaterThanOrEqual(2)
    const page = await (await t.get(`/sandbox/approvals/${spNo}`)).text()
    expect(page).toContain('已通过')
    expect(page).not.toContain('以张三身份同意')
  })
})
