import type { Localized } from '@portal/shared'
import { publicUrlWarnings } from '../setup-values'
import type { DoctorRun } from './doctor-run'
import { join, L, ok, warn, type Outcome } from './types'

/** Mode, PUBLIC_URL as a trusted domain, and whether console secrets survive a restart. */
export async function checkConfig(r: DoctorRun): Promise<Outcome> {
  const { config } = r.ctx
  const where =
    config.mode === 'sandbox'
      ? L('沙箱模式：未配置企业微信企业（WECOM_CORP_ID），一切都对接内置的企业微信沙箱。', 'Sandbox mode: no WeCom corp configured (WECOM_CORP_ID); everything talks to the built-in WeCom sandbox.')
      : L(`企业 ${r.ctx.settings.get('corpId')}，应用 AgentId ${r.ctx.settings.get('agentId')}，PUBLIC_URL ${config.publicUrl}。`, `Corp ${r.ctx.settings.get('corpId')}, app AgentId ${r.ctx.settings.get('agentId')}, PUBLIC_URL ${config.publicUrl}.`)
  const urlProblems = publicUrlWarnings(config)
  const problems: Localized[] = [...urlProblems]
  const fixes: Localized[] = []
  if (urlProblems.length) fixes.push(L('把 PUBLIC_URL 设置为员工访问本应用的 https 正式域名（已备案）。', 'Set PUBLIC_URL to the https domain (ICP-filed) people open the app on.'))
  if (!config.settingsKey.persistent) {
    problems.push(L('在控制台保存的密钥用本次运行临时生成的密钥加密，重启后将无法解密。', 'Secrets saved in the console are encrypted with a key made up for this run: they cannot be read after a restart.'))
    fixes.push(L('设置 SETTINGS_KEY（32 位以上随机字符，所有实例相同）。', 'Set SETTINGS_KEY (32+ random characters, the same on every instance).'))
  }
  return problems.length ? warn(join([where, ...problems]), join(fixes)) : ok(where)
}
