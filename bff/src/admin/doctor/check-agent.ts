import { WeComError } from '../../wecom'
import { describeFailure } from './describe-error'
import type { DoctorRun } from './doctor-run'
import { CONSOLE, fail, L, ok, type Outcome } from './types'

/** agent/get for our AgentId: a token reads only its own app, so this proves AgentId and Secret belong together. */
export async function checkAgent(r: DoctorRun): Promise<Outcome> {
  const agentId = r.ctx.settings.get('agentId')
  const a = await r.agent()
  if (!a.ok) {
    const e = a.error
    if (e instanceof WeComError && (e.errcode === 301002 || e.errcode === 40056 || e.errcode === 41011)) {
      return fail(
        L(`AgentId ${agentId || '（空）'} 不属于这个 Secret 的应用（错误码 ${e.errcode}）。`, `AgentId ${agentId || '(empty)'} does not belong to the app of this Secret (errcode ${e.errcode}).`),
        L(
          `请在 ${CONSOLE.app.zh} 中核对 AgentId 与 Secret，两者必须来自同一个应用（WECOM_AGENT_ID、WECOM_SECRET）。`,
          `Compare AgentId and Secret under ${CONSOLE.app.en}: both must come from the same app (WECOM_AGENT_ID, WECOM_SECRET).`,
        ),
        e.errcode,
      )
    }
    return describeFailure(e, L('读取应用详情（agent/get）', "Reading the app's details (agent/get)"), r.ctx)
  }
  const name = a.value.name ? `「${a.value.name}」` : ''
  if (a.value.close === 1) {
    return fail(L(`应用${name}已停用。`, `The app ${a.value.name ?? ''} is disabled.`), L(`请在 ${CONSOLE.app.zh} 中启用它。`, `Enable it under ${CONSOLE.app.en}.`))
  }
  return ok(L(`AgentId ${agentId} 属于这个 Secret 的应用${name}，应用已启用。`, `AgentId ${agentId} is the app of this Secret${a.value.name ? ` (${a.value.name})` : ''}, and it is enabled.`))
}
