import type { ApprovalStore } from './store'
import type { Approval, SpRecord } from './types'

export type ApprovalAction = 'approve' | 'reject' | 'revoke' | 'delete' | 'comment'

/**
 * StatuChangeEvent values (https://developer.work.weixin.qq.com/document/path/91815; the list is from a WeCom staff
 * answer, not re-verified on that page): 1 提单, 2 同意, 3 驳回, 6 撤销, 8 通过后撤销, 10 添加备注. WeCom lists no value
 * for deleting a form, so a delete sends no callback: only getapprovaldetail shows sp_status 7.
 */
export const STATU_CHANGE = { submit: 1, approve: 2, reject: 3, revoke: 6, revokeApproved: 8, comment: 10 } as const

export type ActResult =
  | { ok: true; approval: Approval; statuChangeEvent: number | null }
  | { ok: false; httpStatus: 403 | 409; errmsg: string }

const refuse = (httpStatus: 403 | 409, errmsg: string): ActResult => ({ ok: false, httpStatus, errmsg })

/** The node now waiting for decisions: the first one still 审批中. */
export function currentNode(a: Approval): SpRecord | undefined {
  return a.sp_status === 1 ? a.sp_record.find((r) => r.sp_status === 1) : undefined
}

/** Members who must act now: every undecided approver of the current node. */
export function pendingApprovers(a: Approval): string[] {
  const node = currentNode(a)
  return node ? node.details.filter((d) => d.sp_status === 1).map((d) => d.approver.userid) : []
}

/**
 * What an approver (or the applicant, or an admin) does in the WeCom client. 或签: the first
 * decision settles the node. 会签: the node passes when every approver has agreed; one
 * rejection rejects the form. A passed node hands over to the next; after the last the form
 * is 已通过. `nowS` is unix seconds.
 */
export function act(store: ApprovalStore, a: Approval, userid: string, action: ApprovalAction, speech: string, nowS: number): ActResult {
  if (a.sp_status === 7) return refuse(409, `${a.sp_no} is deleted`)
  switch (action) {
    case 'approve':
    case 'reject': {
      const node = currentNode(a)
      if (!node) return refuse(409, `${a.sp_no} is not in approval (sp_status ${a.sp_status})`)
      const detail = node.details.find((d) => d.approver.userid === userid && d.sp_status === 1)
      if (!detail) return refuse(403, `${userid} is not a pending approver of ${a.sp_no}; pending: ${pendingApprovers(a).join(', ')}`)
      Object.assign(detail, { sp_status: action === 'approve' ? 2 : 3, speech, sptime: nowS })
      if (action === 'reject') {
        node.sp_status = 3
        a.sp_status = 3
        return { ok: true, approval: a, statuChangeEvent: STATU_CHANGE.reject }
      }
      const passed = node.approverattr === 1 || node.details.every((d) => d.sp_status === 2)
      if (passed) node.sp_status = 2
      if (a.sp_record.every((r) => r.sp_status === 2)) a.sp_status = 2
      return { ok: true, approval: a, statuChangeEvent: STATU_CHANGE.approve }
    }
    case 'revoke': {
      if (userid !== a.applyer.userid) return refuse(403, `only the applicant ${a.applyer.userid} may revoke ${a.sp_no}`)
      if (a.sp_status === 1) {
        a.sp_status = 4
        return { ok: true, approval: a, statuChangeEvent: STATU_CHANGE.revoke }
      }
      if (a.sp_status === 2) {
        a.sp_status = 6
        return { ok: true, approval: a, statuChangeEvent: STATU_CHANGE.revokeApproved }
      }
      return refuse(409, `${a.sp_no} cannot be revoked (sp_status ${a.sp_status})`)
    }
    case 'delete':
      a.sp_status = 7
      return { ok: true, approval: a, statuChangeEvent: null }
    case 'comment':
      if (!speech) return refuse(409, 'a comment needs speech')
      a.comments.push({ commentUserInfo: { userid }, commenttime: nowS, commentcontent: speech, commentid: String(7_000_000_000 + store.nextCommentId++), media_id: [] })
      return { ok: true, approval: a, statuChangeEvent: STATU_CHANGE.comment }
  }
}
