/** The parts of oa/getapprovaldetail's `info` we use (https://developer.work.weixin.qq.com/document/path/91983). */
export interface ApprovalInfo {
  sp_no: string
  sp_name: string
  sp_status: number
  apply_time: number
  applyer: { userid: string; partyid?: string }
  sp_record?: { sp_status: number; approverattr: number; details?: { approver: { userid: string }; sp_status: number }[] }[]
}

/** Whole-form statuses: 1 审批中, 2 已通过, 3 已驳回, 4 已撤销, 6 通过后撤销, 7 已删除, 10 已支付. */
export const PENDING = 1

/** Who must act now: the pending approvers of the first node still in progress. */
export function currentApprovers(info: ApprovalInfo): string[] {
  if (info.sp_status !== PENDING) return []
  const node = (info.sp_record ?? []).find((n) => n.sp_status === PENDING)
  return (node?.details ?? []).filter((d) => d.sp_status === PENDING).map((d) => d.approver.userid)
}

/**
 * How an approver's todo ends once they no longer need to act: `done` when they decided
 * themselves; `cancelled` when the form was revoked or deleted, or decided by someone else (another
 * approver of an 或签 node, or a rejection elsewhere in a 会签 node).
 */
export function closedStatus(info: ApprovalInfo, approver: string): 'done' | 'cancelled' {
  const decided = (info.sp_record ?? []).some((n) => (n.details ?? []).some((d) => d.approver.userid.toLowerCase() === approver.toLowerCase() && (d.sp_status === 2 || d.sp_status === 3)))
  return decided ? 'done' : 'cancelled'
}
