import type { Localized, SettingKey } from '@portal/shared'
import type { Config } from '../../config'
import { WeComError } from '../../wecom'
import { describeFailure } from './describe-error'
import type { DoctorRun } from './doctor-run'
import { CONSOLE, fail, join, L, ok, skip, type DoctorContext, type Outcome } from './types'

/** Where a secret in effect comes from, in words an admin can act on. */
export function secretSource(config: Config, key: Extract<SettingKey, 'secret' | 'contactSecret'>): Localized {
  const envVar = key === 'secret' ? 'WECOM_SECRET' : 'WECOM_CONTACT_SECRET'
  const lock = config.locked[key]
  if (config.mode === 'sandbox') return L('沙箱的演示 Secret', "the sandbox's demo Secret")
  if (lock?.source === 'env') return L(`环境变量 ${lock.envVar}`, `env ${lock.envVar}`)
  if (lock?.source === 'file') return L(`配置文件 qiyeweixin.json（或 ${envVar}）`, `the config file qiyeweixin.json (or ${envVar})`)
  return L('控制台“设置”中保存的 Secret', 'the Secret saved in the console settings')
}

/** gettoken's configuration errcodes, in words naming the secret and where to find the right one. */
function tokenFailure(e: unknown, ctx: DoctorContext, key: 'secret' | 'contactSecret'): Outcome {
  const source = secretSource(ctx.config, key)
  const corpId = ctx.settings.get('corpId')
  const name = key === 'secret' ? L('应用 Secret', 'app Secret') : L('通讯录同步 Secret', 'contact-sync Secret')
  if (e instanceof WeComError && (e.errcode === 40001 || e.errcode === 40091)) {
    return fail(
      L(`企业微信不接受${name.zh}（来自${source.zh}）：错误码 ${e.errcode}。`, `WeCom rejects the ${name.en} (from ${source.en}): errcode ${e.errcode}.`),
      join([
        L(`请从 ${key === 'secret' ? CONSOLE.secret.zh : CONSOLE.contactSecret.zh} 复制正确的 Secret，`, `Copy the right Secret from ${key === 'secret' ? CONSOLE.secret.en : CONSOLE.contactSecret.en}`),
        L(`并确认它与企业 ID ${corpId} 属于同一个企业。`, `and check that it belongs to the corp ${corpId}.`),
      ]),
      e.errcode,
    )
  }
  if (e instanceof WeComError && e.errcode === 40013) {
    return fail(
      L(`企业微信不认识企业 ID ${corpId}（错误码 40013）。`, `WeCom does not know the CorpID ${corpId} (errcode 40013).`),
      L(`请从 ${CONSOLE.corpId.zh} 复制企业 ID（WECOM_CORP_ID）。`, `Copy the CorpID (WECOM_CORP_ID) from ${CONSOLE.corpId.en}.`),
      40013,
    )
  }
  return describeFailure(e, L(`用${name.zh} 换取 access_token`, `Getting an access_token with the ${name.en}`), ctx)
}

/** gettoken with the app secret, asked for real (the run's client has its own token cache). */
export async function checkToken(r: DoctorRun): Promise<Outcome> {
  const t = await r.token()
  const { config } = r.ctx
  if (!t.ok) return tokenFailure(t.error, r.ctx, 'secret')
  return ok(L(`已用应用 Secret（来自${secretSource(config, 'secret').zh}）换到 access_token。`, `Got an access_token with the app Secret (from ${secretSource(config, 'secret').en}).`))
}

/** The optional 通讯录同步 secret. */
export async function checkContactToken(r: DoctorRun): Promise<Outcome> {
  const secret = r.ctx.settings.get('contactSecret')
  if (!secret) return skip(L('未设置通讯录同步 Secret（可选，本应用用应用 Secret 读取通讯录）。', 'No contact-sync Secret set (optional: the app reads the directory with its own Secret).'))
  try {
    await r.ctx.client(secret).accessToken()
  } catch (e) {
    return tokenFailure(e, r.ctx, 'contactSecret')
  }
  return ok(L('已用通讯录同步 Secret 换到 access_token。', 'Got an access_token with the contact-sync Secret.'))
}
