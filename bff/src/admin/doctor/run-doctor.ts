import { doctorCheckIds, type DoctorCheck, type DoctorReport, type Localized } from '@portal/shared'
import { checkAgent } from './check-agent'
import { checkApprovalApi } from './check-approval'
import { checkCallback } from './check-callback'
import { checkConfig } from './check-config'
import { checkJsapiTickets } from './check-jsapi'
import { checkOutbox } from './check-outbox'
import { checkSync } from './check-sync'
import { checkTestMessage } from './check-test-message'
import { checkContactToken, checkToken } from './check-token'
import { checkTrustedDomain } from './check-trusted-domain'
import { checkTrustedIp } from './check-trusted-ip'
import { checkVerifyFile } from './check-verify-file'
import { checkVisibleRange } from './check-visible-range'
import { createDoctorRun, type DoctorRun } from './doctor-run'
import { fail, L, skip, type CheckId, type DoctorContext, type Outcome } from './types'

interface CheckDef {
  title: Localized
  /** `wecom`: waits until a token works and WeCom accepts our IP; skipped otherwise. */
  needs?: 'wecom'
  run(r: DoctorRun): Promise<Outcome>
}

const CHECKS: Record<CheckId, CheckDef> = {
  config: { title: L('配置', 'Configuration'), run: checkConfig },
  token: { title: L('应用 Secret', 'App Secret'), run: checkToken },
  contactToken: { title: L('通讯录同步 Secret', 'Contact-sync Secret'), run: checkContactToken },
  trustedIp: { title: L('企业可信IP', 'Trusted IP'), run: checkTrustedIp },
  visibleRange: { title: L('可见范围', 'Visible range'), needs: 'wecom', run: checkVisibleRange },
  agent: { title: L('应用 AgentId', 'App AgentId'), needs: 'wecom', run: checkAgent },
  trustedDomain: { title: L('可信域名', 'Trusted domain'), run: checkTrustedDomain },
  verifyFile: { title: L('域名归属校验文件', 'Domain verification file'), run: checkVerifyFile },
  callback: { title: L('接收消息（回调）', 'Callbacks'), run: checkCallback },
  jsapiTickets: { title: L('JS-SDK 票据', 'JS-SDK tickets'), needs: 'wecom', run: checkJsapiTickets },
  approvalApi: { title: L('审批接口权限', 'Approval API permission'), needs: 'wecom', run: checkApprovalApi },
  sync: { title: L('通讯录同步', 'Directory sync'), run: checkSync },
  outbox: { title: L('消息通知', 'Notifications'), run: checkOutbox },
  testMessage: { title: L('测试消息', 'Test message'), needs: 'wecom', run: checkTestMessage },
}

/**
 * Every check at once: independent ones run concurrently; the WeCom calls several checks share
 * are made once (DoctorRun). A check never throws: whatever goes wrong becomes its report.
 */
export async function runDoctor(ctx: DoctorContext, opts: { testMessage?: boolean } = {}): Promise<DoctorReport> {
  const run = createDoctorRun(ctx)
  const ranAt = new Date(ctx.now()).toISOString()
  const checks = await Promise.all(doctorCheckIds.map((id) => runCheck(id, run, opts)))
  return { ranAt, ok: checks.every((c) => c.status !== 'fail'), checks }
}

async function runCheck(id: CheckId, run: DoctorRun, opts: { testMessage?: boolean }): Promise<DoctorCheck> {
  const def = CHECKS[id]
  const report = (o: Outcome, ms = 0): DoctorCheck => ({ id, title: def.title, ...o, ms })
  if (id === 'testMessage' && !opts.testMessage) return report(skip(L('未要求发送测试消息。', 'No test message was asked for.')))
  try {
    if (def.needs === 'wecom') {
      const blocked = await run.gate()
      if (blocked) return report(blocked)
    }
    // Timed from here: waiting for the shared token is not this check's time.
    const start = performance.now()
    const outcome = await def.run(run)
    return report(outcome, Math.round(performance.now() - start))
  } catch (e) {
    run.ctx.log.error('doctor check crashed', { check: id, err: e })
    const message = e instanceof Error ? e.message : String(e)
    return report(fail(L(`检查本身出错：${message}`, `The check itself failed: ${message}`)))
  }
}
