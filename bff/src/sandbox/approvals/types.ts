/** Approvals as getapprovaldetail returns them (https://developer.work.weixin.qq.com/document/path/91983). */

/** Whole form: 1 审批中, 2 已通过, 3 已驳回, 4 已撤销, 6 通过后撤销, 7 已删除, 10 已支付. */
export type SpStatus = 1 | 2 | 3 | 4 | 6 | 7 | 10
export const SP_STATUSES: readonly SpStatus[] = [1, 2, 3, 4, 6, 7, 10]

/** Node and approver: 1 审批中, 2 已同意, 3 已驳回 (转审 and the rest are not simulated). */
export type NodeStatus = 1 | 2 | 3

/** 1 或签 (any one approver decides), 2 会签 (every approver must agree). */
export type ApproverAttr = 1 | 2

export interface ApprovalDetail {
  approver: { userid: string }
  speech: string
  sp_status: NodeStatus
  /** Unix seconds; 0 until this approver acts. */
  sptime: number
  media_id: string[]
}

export interface SpRecord {
  sp_status: NodeStatus
  approverattr: ApproverAttr
  details: ApprovalDetail[]
}

export interface ApprovalComment {
  commentUserInfo: { userid: string }
  commenttime: number
  commentcontent: string
  commentid: string
  media_id: string[]
}

export interface ApplyContent {
  control: string
  id: string
  title: { text: string; lang: string }[]
  value: Record<string, unknown>
}

export interface Approval {
  /** A string: yyyymmdd + 4-digit sequence; WeCom added SpNoStr because it outgrew numbers. */
  sp_no: string
  sp_name: string
  sp_status: SpStatus
  template_id: string
  /** Unix seconds. */
  apply_time: number
  applyer: { userid: string; partyid: string }
  sp_record: SpRecord[]
  notifyer: { userid: string }[]
  /** 1 notify on submit, 2 after approval, 3 both. */
  notify_type: 1 | 2 | 3
  apply_data: { contents: ApplyContent[] }
  comments: ApprovalComment[]
}

export interface TemplateControl {
  control: string
  id: string
  title: string
}

export interface ApprovalTemplate {
  template_id: string
  name: string
  /** getapprovalinfo's record_type filter (1 请假, 3 出差 …); 0 = none. */
  record_type: number
  controls: TemplateControl[]
  /** The flow the admin configured, used when use_template_approver = 1. */
  approver: { attr: ApproverAttr; userid: string[] }[]
  notifyer: string[]
}
