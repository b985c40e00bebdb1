import type { Context, Hono } from 'hono'
import { buildApproval } from './apply'
import type { Approval } from './types'
import { STATU_CHANGE } from './flow'
import { parseListQuery, listPage } from './list'
import { notifyApprovalChangeLater } from './notify'
import { callerApp } from '../tickets/caller-app'
import { readJsonObject, WRONG_JSON } from '../cgi-body'
import { wecomError, wecomOk } from '../errors'
import { findMember } from '../directory/org-index'
import type { SandboxState } from '../state'
import { canSeeMember, visibilityFor } from '../directory/visibility'

type Handler = (c: Context, body: Record<string, unknown>) => Response | Promise<Response>

/**
 * oa/getapprovalinfo, oa/getapprovaldetail and oa/applyevent (https://developer.work.weixin.qq.com/document/path/91816, https://developer.work.weixin.qq.com/document/path/91983, https://developer.work.weixin.qq.com/document/path/91853). The token must be
 * the app's (the contact-sync secret gets 48002). Parameter errors are 301025 (审批开放接口参数错误)
 * with a message naming the field. An unknown or invisible sp_no is 301025 too: 301055 does not
 * appear in WeCom's global code list (90313) and community notes tie it to missing 审批 data
 * permission rather than to a bad sp_no.
 */
export function registerApprovals(app: Hono, s: SandboxState): void {
  const post = (path: string, handler: Handler) =>
    app.all(path, async (c) => {
      // getapprovalinfo (https://developer.work.weixin.qq.com/document/path/91816) answers a GET as if the times were missing; the others name the method.
      if (c.req.method !== 'POST') return wecomError(c, s, 301025, path.endsWith('/getapprovalinfo') ? 'invalid starttime or endtime' : 'get approval param error: POST required')
      if (callerApp(c, s) === 'contact') return wecomError(c, s, 48002, 'api forbidden: approvals need the app secret')
      const body = await readJsonObject(c)
      if (body === undefined) return wecomError(c, s, 40058, WRONG_JSON)
      return handler(c, body)
    })

  post('/cgi-bin/oa/getapprovalinfo', (c, body) => {
    const q = parseListQuery(body)
    if (!q.ok) return wecomError(c, s, q.errcode, q.errmsg)
    const page = listPage(s, q.value)
    const legacy = q.value.offset === undefined ? {} : { next_cursor: page.nextOffset }
    return wecomOk(c, { sp_no_list: page.spNos, new_next_cursor: page.next, ...legacy })
  })

  post('/cgi-bin/oa/getapprovaldetail', (c, body) => {
    const spNo = typeof body.sp_no === 'number' ? String(body.sp_no) : body.sp_no
    if (typeof spNo !== 'string' || !spNo) return wecomError(c, s, 301025, 'invalid sp_no')
    const a = s.approvals.byNo.get(spNo)
    const applyer = a ? findMember(s.directory, a.applyer.userid) : undefined
    if (!a || !applyer || !canSeeMember(visibilityFor(s, 'agent'), applyer)) return wecomError(c, s, 301025, `invalid sp_no: ${spNo} not found`)
    return wecomOk(c, { info: approvalInfo(a) })
  })

  post('/cgi-bin/oa/applyevent', (c, body) => {
    const built = buildApproval(s, body, Math.floor(s.now() / 1000))
    if (!built.ok) return wecomError(c, s, 301025, built.errmsg)
    s.approvals.byNo.set(built.approval.sp_no, built.approval)
    notifyApprovalChangeLater(s, built.approval, STATU_CHANGE.submit)
    return wecomOk(c, { sp_no: built.approval.sp_no })
  })
}

/** getapprovaldetail's `info`: the form minus what only the sandbox keeps (notify_type). */
export function approvalInfo(a: Approval) {
  const { sp_no, sp_name, sp_status, template_id, apply_time, applyer, sp_record, notifyer, apply_data, comments } = a
  return { sp_no, sp_name, sp_status, template_id, apply_time, applyer, sp_record, notifyer, apply_data, comments }
}
