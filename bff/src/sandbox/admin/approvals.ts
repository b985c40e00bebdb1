import type { Hono } from 'hono'
import { buildApproval } from '../approvals/apply'
import { act, pendingApprovers, STATU_CHANGE, type ApprovalAction } from '../approvals/flow'
import { notifyApprovalChange } from '../approvals/notify'
import { approvalsInOrder } from '../approvals/store'
import { approvalTemplates } from '../approvals/templates'
import type { Approval } from '../approvals/types'
import { readJsonObject, WRONG_JSON } from '../cgi-body'
import { findMember } from '../directory/org-index'
import type { SandboxState } from '../state'

const BASE = '/sandbox/admin/approvals'
const ACTIONS: readonly ApprovalAction[] = ['approve', 'reject', 'revoke', 'delete', 'comment']

/**
 * Test controls for approvals: list, create (same rules as oa/applyevent, optionally back-dated)
 * and act as the people in the flow would in the WeCom client. Each change pushes
 * sys_approval_change like WeCom; the answer reports the first delivery attempt.
 */
export function registerAdminApprovals(app: Hono, s: SandboxState): void {
  app.get(BASE, (c) =>
    c.json({ errcode: 0, errmsg: 'ok', templates: approvalTemplates, approvals: approvalsInOrder(s.approvals).map((a) => withPending(a)) }),
  )

  app.get(`${BASE}/:sp_no`, (c) => {
    const a = s.approvals.byNo.get(c.req.param('sp_no'))
    if (!a) return c.json({ errcode: 404, errmsg: `no approval ${c.req.param('sp_no')}` }, 404)
    return c.json({ errcode: 0, errmsg: 'ok', approval: withPending(a) })
  })

  app.post(BASE, async (c) => {
    const body = await readJsonObject(c)
    if (body === undefined) return c.json({ errcode: 40058, errmsg: WRONG_JSON }, 400)
    const now = Math.floor(s.now() / 1000)
    const at = body.apply_time ?? now
    if (typeof at !== 'number' || !Number.isInteger(at) || at < 0 || at > now) return c.json({ errcode: 40058, errmsg: 'invalid Request Parameter: apply_time (unix seconds, not in the future)' }, 400)
    const built = buildApproval(s, body, at)
    if (!built.ok) return c.json({ errcode: 301025, errmsg: built.errmsg }, 400)
    s.approvals.byNo.set(built.approval.sp_no, built.approval)
    const callback = await notifyApprovalChange(s, built.approval, STATU_CHANGE.submit)
    return c.json({ errcode: 0, errmsg: 'ok', sp_no: built.approval.sp_no, approval: withPending(built.approval), callback })
  })

  app.post(`${BASE}/:sp_no/act`, async (c) => {
    const a = s.approvals.byNo.get(c.req.param('sp_no'))
    if (!a) return c.json({ errcode: 404, errmsg: `no approval ${c.req.param('sp_no')}` }, 404)
    const body = await readJsonObject(c)
    if (body === undefined) return c.json({ errcode: 40058, errmsg: WRONG_JSON }, 400)
    const { userid, action, speech = '' } = body
    if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) return c.json({ errcode: 40058, errmsg: `invalid Request Parameter: action must be one of ${ACTIONS.join(', ')}` }, 400)
    if (typeof speech !== 'string') return c.json({ errcode: 40058, errmsg: 'invalid Request Parameter: speech' }, 400)
    const member = typeof userid === 'string' ? findMember(s.directory, userid) : undefined
    if (!member) return c.json({ errcode: 60111, errmsg: `userid not found: ${String(userid)}` }, 400)
    const result = act(s.approvals, a, member.userid, action as ApprovalAction, speech, Math.floor(s.now() / 1000))
    if (!result.ok) return c.json({ errcode: result.httpStatus, errmsg: result.errmsg }, result.httpStatus)
    const callback = result.statuChangeEvent === null ? null : await notifyApprovalChange(s, a, result.statuChangeEvent)
    return c.json({ errcode: 0, errmsg: 'ok', approval: withPending(a), statuChangeEvent: result.statuChangeEvent, callback })
  })
}

/** The form plus who must act now, which tests and the index page want at hand. */
function withPending(a: Approval): Approval & { pending_approvers: string[] } {
  return { ...a, pending_approvers: pendingApprovers(a) }
}
