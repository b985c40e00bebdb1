import { WeComError } from '../../wecom'
import { describeFailure } from './describe-error'
import type { DoctorRun } from './doctor-run'
import { CONSOLE, fail, L, ok, type Outcome } from './types'

/**
 * 48002 is WeCom's "API接口无权限调用"; 301055 is what deployments report for an app not added
 * under 审批 → API (it is not in WeCom's global list, https://developer.work.weixin.qq.com/document/path/90313); 60011 for data
 * outside the app's permission.
 */
const NO_PERMISSION = new Set([48002, 301055, 60011])

/** oa/getapprovalinfo over the last hour: the app may read approvals (审批 → API → 可调用接口的应用). */
export async function checkApprovalApi(r: DoctorRun): Promise<Outcome> {
  const end = Math.floor(r.ctx.now() / 1000)
  try {
    await r.app.post('/cgi-bin/oa/getapprovalinfo', { starttime: String(end - 3600), endtime: String(end), new_cursor: '', size: 1 })
  } catch (e) {
    if (e instanceof WeComError && NO_PERMISSION.has(e.errcode)) {
      return fail(
        L(`本应用没有审批接口权限（错误码 ${e.errcode}）：审批待办不会出现。`, `The app may not call the approval API (errcode ${e.errcode}): approval todos will not appear.`),
        L(`请在 ${CONSOLE.approval.zh} 中添加本应用，并在“审批数据权限”中允许它读取审批单。`, `Add this app under ${CONSOLE.approval.en}, and let it read approvals under the approval data permissions (审批数据权限).`),
        e.errcode,
      )
    }
    return describeFailure(e, L('读取审批单（oa/getapprovalinfo）', 'Reading approvals (oa/getapprovalinfo)'), r.ctx)
  }
  return ok(L('本应用可以读取审批单。', 'The app can read approvals.'))
}
