import { sendMessage } from '../../wecom/messages'
import { describeFailure } from './describe-error'
import { when } from './when'
import type { DoctorRun } from './doctor-run'
import { CONSOLE, fail, L, ok, skip, type Outcome } from './types'

/** A text to the signed-in admin (only when asked): proves message/send reaches a real person. */
export async function checkTestMessage(r: DoctorRun): Promise<Outcome> {
  const { testMessageTo: to, now } = r.ctx
  if (!to) return skip(L('没有可发送测试消息的成员。', 'No member to send the test message to.'))
  const at = when(new Date(now()), r.ctx.settings.get('timeZone'))
  let res
  try {
    res = await sendMessage(r.app, {
      agentId: r.ctx.settings.get('agentId'),
      touser: [to],
      message: { msgtype: 'text', text: { content: `员工门户自检：这是一条测试消息。\nPortal doctor: this is a test message.\n${at}` } },
      // A fresh text each run (the time is in it), so the duplicate check never swallows one.
      duplicateCheckSeconds: 1,
    })
  } catch (e) {
    return describeFailure(e, L('发送测试消息', 'Sending the test message'), r.ctx)
  }
  const lower = to.toLowerCase()
  if (res.kind === 'nobody-valid' || res.invaliduser.includes(lower)) {
    return fail(
      L(`企业微信没有把测试消息发给 ${to}（invaliduser）：该成员不在应用可见范围内、已停用或未激活。`, `WeCom did not deliver the test message to ${to} (invaliduser): the member is outside the visible range, disabled or not activated.`),
      L(`请在 ${CONSOLE.visibleRange.zh} 中加入该成员，并确认其已激活企业微信。`, `Add the member under ${CONSOLE.visibleRange.en} and make sure they have activated WeCom.`),
    )
  }
  if (res.unlicenseduser.includes(lower)) {
    return fail(
      L(`企业微信没有把测试消息发给 ${to}（unlicenseduser）：该成员没有接口许可。`, `WeCom did not deliver the test message to ${to} (unlicenseduser): the member has no interface licence.`),
      L('请在管理后台为该成员分配接口许可（账号）。', 'Assign the member an interface licence (account) in the admin console.'),
    )
  }
  return ok(L(`已把测试消息发给 ${to}，请在企业微信中查看。`, `Sent a test message to ${to}; look for it in WeCom.`))
}
