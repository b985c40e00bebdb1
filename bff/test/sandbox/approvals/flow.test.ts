import { afterEach, describe, expect, it } from 'vitest'
import { actOn, adminPost, approvalEvent, cgi, createApproval, EXPENSE, leaveBody, spRecords, TRIP, withReceiver } from './helpers'
import { xmlField } from '../callbacks/helpers'
import { setup, T0 } from '../helpers'

const APPLY = '/cgi-bin/oa/applyevent'
const DETAIL = '/cgi-bin/oa/getapprovaldetail'
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length) await closers.pop()!()
})

describe('sandbox oa/applyevent', () => {
  it('refuses invalid bodies with 301025 naming the field', async () => {
    const t = setup({ visibleRange: { departments: [2, 3], users: [] } })
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ creator_userid: 'wujiu' }, /^creator_userid not in app visiable range/],
      [{ creator_userid: 'nobody' }, /^creator_userid not in app visiable range/],
      [{ creator_userid: 'wangwu' }, /^creator_userid not in app visiable range/],
      [{ template_id: 'nope' }, /^invalid template_id/],
      [{ notify_type: 0 }, /^invalid notify_type/],
      [{ notify_type: 4 }, /^invalid notify_type/],
      [{ approver: [] }, /^invalid approver/],
      [{ approver: [{ attr: 3, userid: ['zhangsan'] }] }, /^invalid approver\[0\]\.attr/],
      [{ approver: [{ attr: 1, userid: ['ghost'] }] }, /^invalid approver\[0\]\.userid: unknown userid ghost/],
      [{ notifyer: ['ghost'] }, /^invalid notifyer/],
      [{ apply_data: {} }, /^invalid apply_data/],
      [{ apply_data: { contents: [{ control: 'Text', id: 'Text-x', value: {} }] } }, /^invalid apply_data\.contents\[0\]\.id/],
    ]
    for (const [over, msg] of cases) {
      const res = await cgi(t, APPLY, leaveBody(over))
      expect(res.errcode, JSON.stringify(over)).toBe(301025)
      expect(res.errmsg, JSON.stringify(over)).toMatch(msg)
    }
    expect((await cgi(t, APPLY, 'not json')).errcode).toBe(40058)
    expect((await t.json('/sandbox/admin/approvals')).approvals).toEqual([])
  })

  it('creates the form and pushes sys_approval_change (StatuChangeEvent 1) to the callback', async () => {
    const { t, receiver } = await withReceiver(closers)
    const res = await cgi(t, APPLY, leaveBody({ approver: [{ attr: 2, userid: ['zhangsan', 'ZhouBa'] }] }))
    expect(res).toEqual({ errcode: 0, errmsg: 'ok', sp_no: '202611010001' })
    await t.sandbox.callbacksSettled()
    expect(receiver.received).toHaveLength(1)
    const xml = approvalEvent(receiver.received[0]!)
    expect({
      from: xmlField(xml, 'FromUserName'),
      agent: xmlField(xml, 'AgentID'),
      spNo: xmlField(xml, 'SpNo'),
      spNoStr: xmlField(xml, 'SpNoStr'),
      name: xmlField(xml, 'SpName'),
      status: xmlField(xml, 'SpStatus'),
      event: xmlField(xml, 'StatuChangeEvent'),
      applyer: xmlField(xml, 'UserId'),
      party: xmlField(xml, 'Party'),
      applyTime: xmlField(xml, 'ApplyTime'),
    }).toEqual({ from: 'sys', agent: '1000002', spNo: '202611010001', spNoStr: '202611010001', name: '请假', status: '1', event: '1', applyer: 'lisi', party: '3', applyTime: String(T0 / 1000) })
    expect(spRecords(xml)).toEqual([{ status: 1, attr: 2, details: [{ userid: 'zhangsan', status: 1 }, { userid: 'zhouba', status: 1 }] }])
    expect(xml).toContain('<Notifyer><UserId><![CDATA[zhouba]]></UserId></Notifyer>')
    expect((await t.json('/sandbox/admin/callbacks')).deliveries).toEqual([expect.objectContaining({ kind: 'event', event: 'sys_approval_change', status: 'delivered' })])
  })

  it('use_template_approver = 1 takes the flow configured for the template', async () => {
    const t = setup()
    const res = await cgi(t, APPLY, leaveBody({ template_id: EXPENSE, use_template_approver: 1, approver: undefined, apply_data: { contents: [{ control: 'Money', id: 'Money-1570000000011', value: { new_money: '120.00' } }] } }))
    const detail = await cgi(t, DETAIL, { sp_no: res.sp_no })
    expect((detail.info as { sp_record: unknown[] }).sp_record).toMatchObject([
      { approverattr: 1, details: [{ approver: { userid: 'zhouba' } }, { approver: { userid: 'zhangsan' } }] },
      { approverattr: 2, details: [{ approver: { userid: 'zhangsan' } }, { approver: { userid: 'wujiu' } }] },
    ])
  })
})

describe('sandbox approval actions', () => {
  it('refuses unknown forms, bad actions, outsiders and finished forms', async () => {
    const t = setup()
    expect((await actOn(t, '209901010001', 'zhangsan', 'approve')).status).toBe(404)
    const spNo = await createApproval(t)
    expect((await actOn(t, spNo, 'zhangsan', 'sign')).status).toBe(400)
    expect((await actOn(t, spNo, 'ghost', 'approve')).status).toBe(400)
    expect((await actOn(t, spNo, 'wujiu', 'approve')).status).toBe(403)
    expect((await actOn(t, spNo, 'zhangsan', 'revoke')).status).toBe(403)
    expect((await actOn(t, spNo, 'zhangsan', 'approve')).status).toBe(200)
    expect((await actOn(t, spNo, 'zhangsan', 'approve')).status).toBe(409)
    expect((await actOn(t, spNo, 'zhangsan', 'reject')).status).toBe(409)
  })

  it('或签: one approval settles the node; the callback says 同意 (2) with SpStatus 2', async () => {
    const { t, receiver } = await withReceiver(closers)
    const spNo = await createApproval(t, { approver: [{ attr: 1, userid: ['zhangsan', 'zhouba'] }] })
    const res = await actOn(t, spNo, 'zhouba', 'approve', '同意')
    expect(res.body).toMatchObject({ statuChangeEvent: 2, approval: { sp_status: 2, pending_approvers: [] }, callback: { status: 'delivered' } })
    const xml = approvalEvent(receiver.received[1]!)
    expect([xmlField(xml, 'SpStatus'), xmlField(xml, 'StatuChangeEvent')]).toEqual(['2', '2'])
    expect(spRecords(xml)).toEqual([{ status: 2, attr: 1, details: [{ userid: 'zhangsan', status: 1 }, { userid: 'zhouba', status: 2 }] }])
    expect(xml).toContain('<Speech><![CDATA[同意]]></Speech>')
  })

  it('会签: the node waits for every approver, then multi-node flows move on to the next node', async () => {
    const { t, receiver } = await withReceiver(closers)
    const spNo = await createApproval(t, {
      approver: [
        { attr: 2, userid: ['zhangsan', 'zhouba'] },
        { attr: 1, userid: ['wujiu'] },
      ],
    })
    const first = await actOn(t, spNo, 'zhangsan', 'approve')
    expect(first.body).toMatchObject({ statuChangeEvent: 2, approval: { sp_status: 1, pending_approvers: ['zhouba'] } })
    expect((await actOn(t, spNo, 'wujiu', 'approve')).status).toBe(403)
    const second = await actOn(t, spNo, 'zhouba', 'approve')
    expect(second.body).toMatchObject({ approval: { sp_status: 1, pending_approvers: ['wujiu'] } })
    expect(spRecords(approvalEvent(receiver.received[2]!)).map((r) => r.status)).toEqual([2, 1])
    const last = await actOn(t, spNo, 'wujiu', 'approve')
    expect(last.body).toMatchObject({ approval: { sp_status: 2, pending_approvers: [] } })
    const xml = approvalEvent(receiver.received[3]!)
    expect([xmlField(xml, 'SpStatus'), xmlField(xml, 'StatuChangeEvent')]).toEqual(['2', '2'])
    expect(spRecords(xml).map((r) => r.status)).toEqual([2, 2])
    const detail = await cgi(t, DETAIL, { sp_no: spNo })
    expect(detail.info).toMatchObject({ sp_status: 2, sp_record: [{ details: [{ sptime: T0 / 1000 }, { sptime: T0 / 1000 }] }, { sp_status: 2 }] })
  })

  it('会签 with one rejection rejects the form (驳回: StatuChangeEvent 3, SpStatus 3)', async () => {
    const { t, receiver } = await withReceiver(closers)
    const spNo = await createApproval(t, { template_id: TRIP, use_template_approver: 1, apply_data: { contents: [] } })
    await actOn(t, spNo, 'zhangsan', 'approve')
    const res = await actOn(t, spNo, 'zhouba', 'reject', '预算不足')
    expect(res.body).toMatchObject({ statuChangeEvent: 3, approval: { sp_status: 3, pending_approvers: [] } })
    const xml = approvalEvent(receiver.received[2]!)
    expect([xmlField(xml, 'SpStatus'), xmlField(xml, 'StatuChangeEvent')]).toEqual(['3', '3'])
    expect(spRecords(xml)).toEqual([{ status: 3, attr: 2, details: [{ userid: 'zhangsan', status: 2 }, { userid: 'zhouba', status: 3 }] }])
  })

  it('revoke: 撤销 (6 → SpStatus 4) while pending, 通过后撤销 (8 → SpStatus 6) after approval', async () => {
    const { t, receiver } = await withReceiver(closers)
    const pending = await createApproval(t)
    expect((await actOn(t, pending, 'lisi', 'revoke')).body).toMatchObject({ statuChangeEvent: 6, approval: { sp_status: 4 } })
    expect((await actOn(t, pending, 'lisi', 'revoke')).status).toBe(409)
    const approved = await createApproval(t)
    await actOn(t, approved, 'zhangsan', 'approve')
    expect((await actOn(t, approved, 'lisi', 'revoke')).body).toMatchObject({ statuChangeEvent: 8, approval: { sp_status: 6 } })
    const events = receiver.received.map((r) => approvalEvent(r)).map((x) => [xmlField(x, 'SpNo'), xmlField(x, 'SpStatus'), xmlField(x, 'StatuChangeEvent')])
    expect(events).toEqual([
      [pending, '1', '1'],
      [pending, '4', '6'],
      [approved, '1', '1'],
      [approved, '2', '2'],
      [approved, '6', '8'],
    ])
  })

  it('comment adds a comment (StatuChangeEvent 10); delete sets 7 with no callback (WeCom has no event value for it)', async () => {
    const { t, receiver } = await withReceiver(closers)
    const spNo = await createApproval(t)
    expect((await actOn(t, spNo, 'zhouba', 'comment')).status).toBe(409)
    const commented = await actOn(t, spNo, 'zhouba', 'comment', '<b>请尽快</b>')
    expect(commented.body).toMatchObject({ statuChangeEvent: 10, approval: { sp_status: 1, comments: [{ commentUserInfo: { userid: 'zhouba' }, commentcontent: '<b>请尽快</b>' }] } })
    expect(approvalEvent(receiver.received[1]!)).toContain('<CommentContent><![CDATA[<b>请尽快</b>]]></CommentContent>')
    const deleted = await actOn(t, spNo, 'zhangsan', 'delete')
    expect(deleted.body).toMatchObject({ statuChangeEvent: null, approval: { sp_status: 7 }, callback: null })
    expect(receiver.received).toHaveLength(2)
    expect((await cgi(t, DETAIL, { sp_no: spNo })).info).toMatchObject({ sp_status: 7 })
    expect((await actOn(t, spNo, 'zhangsan', 'approve')).status).toBe(409)
  })

  it('sends no callback for forms of members outside the visible range', async () => {
    const { t, receiver } = await withReceiver(closers)
    const spNo = await createApproval(t, { creator_userid: 'wujiu' })
    await t.send('POST', '/sandbox/admin/settings', { visibleRange: { departments: [2], users: [] } })
    expect((await actOn(t, spNo, 'zhangsan', 'approve')).body.callback).toBeNull()
    expect(receiver.received).toHaveLength(1)
  })

  it('admin create refuses future apply_time and reports 301025 errors with 400', async () => {
    const t = setup()
    expect((await adminPost(t, '/sandbox/admin/approvals', leaveBody({ apply_time: T0 / 1000 + 60 }))).status).toBe(400)
    expect((await adminPost(t, '/sandbox/admin/approvals', leaveBody({ notify_type: 0 })).then((r) => r.body.errcode))).toBe(301025)
  })
})
