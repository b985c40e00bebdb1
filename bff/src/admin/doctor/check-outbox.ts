import { wecomErrorInfo, wecomHint } from '@portal/shared'
import { outboxDigest } from '../../notify/outbox-store'
import type { DoctorRun } from './doctor-run'
import { join, L, ok, skip, warn, type Outcome } from './types'

/** Failed notifications in a day that deserve a look, when they also outnumber the sent ones. */
const MANY_FAILED = 5

/**
 * The notification outbox: paused because WeCom refuses the app (a configuration errcode on
 * pending rows), or many failures in the last day.
 */
// Card updates (kind 'update') that found their response_code spent or past 72 h are settled as
// failed by design: they are not delivery failures, so only sends count here.
export async function checkOutbox(r: DoctorRun): Promise<Outcome> {
  const { db, config, now } = r.ctx
  if (!db) return skip(L('数据库未打开，无法查看通知记录。', 'The database is not open: notifications cannot be read.'))
  const since = new Date(now() - 24 * 3600_000)
  const { pending, sent, failed, heldError, lastFailure } = await outboxDigest(db, since)
  const counts = L(`过去 24 小时已发送 ${sent} 条、失败 ${failed} 条，待发送 ${pending} 条。`, `Last 24 h: ${sent} sent, ${failed} failed; ${pending} waiting.`)
  if (!r.ctx.settings.get('messageEnable')) {
    // Where to switch it on: the env var when it pins the value, else the console.
    const lock = config.locked.messageEnable
    const fix = lock
      ? L(`需要发送通知时把 ${lock.envVar} 设为 true（${lock.source === 'env' ? '环境变量' : '配置文件'}）。`, `Set ${lock.envVar}=true (${lock.source === 'env' ? 'environment' : 'config file'}) to send them.`)
      : L('需要发送通知时在“应用设置”里打开“发送应用消息”。', 'Turn on "send app messages" in Settings to send them.')
    return warn(join([L('应用消息已关闭：通知只记录、不发送。', 'App messages are switched off: notifications are recorded, not sent.'), counts]), fix)
  }
  const errcode = Number(heldError?.match(/errcode (\d+)/)?.[1])
  const kind = wecomErrorInfo(errcode)?.kind
  if (heldError && (kind === 'config' || kind === 'permission')) {
    return warn(
      join([L(`通知发送已暂停：企业微信拒绝了本应用（${heldError}）。`, `Sending is paused: WeCom refuses the app (${heldError}).`), counts]),
      L(wecomHint(errcode, 'zh') ?? '修复上面各项检查指出的问题后会自动恢复发送。', wecomHint(errcode, 'en') ?? 'Sending resumes by itself once what the other checks report is fixed.'),
    )
  }
  if (failed >= MANY_FAILED && failed > sent) {
    return warn(
      join([L('过去 24 小时失败的通知比发送成功的还多。', 'More notifications failed than were sent in the last 24 h.'), counts, lastFailure ? L(`最近一次原因：${lastFailure}`, `Last reason: ${lastFailure}`) : undefined]),
      L('多为成员不在可见范围（invaliduser）或没有接口许可，请按原因处理。', 'Usually members outside the visible range (invaliduser) or without a licence: act on the reason.'),
    )
  }
  return ok(counts)
}
