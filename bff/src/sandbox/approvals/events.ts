import type { Approval } from './types'
import { cdata } from '../callbacks/message'
import type { SandboxState } from '../state'

/**
 * The decrypted sys_approval_change message (https://developer.work.weixin.qq.com/document/path/91815): SpStatus is the status after
 * the change, StatuChangeEvent what happened. One <SpRecord> per node and one <Details> per
 * approver, repeated elements as in WeCom's sample.
 */
export function approvalEventXml(s: SandboxState, a: Approval, statuChangeEvent: number): string {
  const records = a.sp_record
    .map(
      (r) =>
        `<SpRecord><SpStatus>${r.sp_status}</SpStatus><ApproverAttr>${r.approverattr}</ApproverAttr>` +
        r.details
          .map((d) => `<Details><Approver><UserId>${cdata(d.approver.userid)}</UserId></Approver><Speech>${cdata(d.speech)}</Speech><SpStatus>${d.sp_status}</SpStatus><SpTime>${d.sptime}</SpTime></Details>`)
          .join('') +
        '</SpRecord>',
    )
    .join('')
  const notifyers = a.notifyer.map((n) => `<Notifyer><UserId>${cdata(n.userid)}</UserId></Notifyer>`).join('')
  const comments = a.comments
    .map(
      (c) =>
        `<Comments><CommentUserInfo><UserId>${cdata(c.commentUserInfo.userid)}</UserId></CommentUserInfo><CommentTime>${c.commenttime}</CommentTime>` +
        `<CommentContent>${cdata(c.commentcontent)}</CommentContent><CommentId>${cdata(c.commentid)}</CommentId></Comments>`,
    )
    .join('')
  return (
    `<xml><ToUserName>${cdata(s.corpId)}</ToUserName><FromUserName>${cdata('sys')}</FromUserName>` +
    `<CreateTime>${Math.floor(s.now() / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
    `<Event>${cdata('sys_approval_change')}</Event><AgentID>${s.agentId}</AgentID>` +
    `<ApprovalInfo><SpNoStr>${cdata(a.sp_no)}</SpNoStr><SpNo>${a.sp_no}</SpNo><SpName>${cdata(a.sp_name)}</SpName>` +
    `<SpStatus>${a.sp_status}</SpStatus><TemplateId>${cdata(a.template_id)}</TemplateId><ApplyTime>${a.apply_time}</ApplyTime>` +
    `<Applyer><UserId>${cdata(a.applyer.userid)}</UserId><Party>${cdata(a.applyer.partyid)}</Party></Applyer>` +
    `${records}${notifyers}${comments}<StatuChangeEvent>${statuChangeEvent}</StatuChangeEvent></ApprovalInfo></xml>`
  )
}
