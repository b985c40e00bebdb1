import type { Localized } from '@portal/shared'
import { CALLBACK_PATH } from '../../callbacks/routes'
import { parkedCallbacks } from '../../callbacks/inbox'
import { latest, newer } from '../marks'
import type { DoctorRun } from './doctor-run'
import { CONSOLE, fail, join, L, ok, skip, warn, type Outcome } from './types'
import { when } from './when'

/** Why WeCom's last callback failed here, and what to change (callback_failed's `reason`). */
const REASONS: Record<string, { summary: Localized; fix: Localized }> = {
  signature: {
    summary: L('签名不对：企业微信后台填写的 Token 与本应用的不一致', "bad signature: the Token in WeCom's console differs from this app's"),
    fix: L('Token', 'Token'),
  },
  decrypt: {
    summary: L('无法解密：企业微信后台填写的 EncodingAESKey 与本应用的不一致', "could not decrypt: the EncodingAESKey in WeCom's console differs from this app's"),
    fix: L('EncodingAESKey', 'EncodingAESKey'),
  },
  receiveid: {
    summary: L('消息是发给另一个企业的（receiveid 与企业 ID 不符）', 'sealed for another corp (receiveid is not our CorpID)'),
    fix: L('企业 ID，以及回调是否配置在本企业的本应用上', 'CorpID, and that the callback is set on this corp\'s app'),
  },
  xml: {
    summary: L('解密后的消息格式不对', 'the decrypted message is not valid XML'),
    fix: L('Token 与 EncodingAESKey', 'Token and EncodingAESKey'),
  },
}

/**
 * 接收消息: Token and EncodingAESKey set, and what WeCom's calls showed — a failure after the last
 * verification or accepted callback means the console's values differ from ours now.
 */
export async function checkCallback(r: DoctorRun): Promise<Outcome> {
  const { config, marks } = r.ctx
  const timeZone = r.ctx.settings.get('timeZone')
  const url = `${config.publicUrl}${CALLBACK_PATH}`
  const paste = L(
    `在 ${CONSOLE.callback.zh} 中填写 URL ${url}，以及“接入向导”页上的 Token 和 EncodingAESKey，然后保存（企业微信会立即校验）。`,
    `Under ${CONSOLE.callback.en} enter the URL ${url} and the Token and EncodingAESKey from this console's setup guide page, then save (WeCom checks at once).`,
  )
  const [callbackToken, callbackAesKey] = [r.ctx.settings.get('callbackToken'), r.ctx.settings.get('callbackAesKey')]
  if (!callbackToken || !callbackAesKey) {
    return warn(
      L('未配置接收消息的 Token 和 EncodingAESKey：通讯录和审批的变更要等定时同步才会到达。', 'No callback Token and EncodingAESKey: directory and approval changes only arrive with the scheduled syncs.'),
      join([L('在“接入向导”页生成一对新的，', 'Generate a pair on the setup guide page,'), paste]),
    )
  }
  if (!/^[A-Za-z0-9]{43}$/.test(callbackAesKey)) {
    return fail(L('EncodingAESKey 不是 43 位字母和数字，回调全部会被拒绝。', 'The EncodingAESKey is not 43 letters and digits: every callback is refused.'), paste)
  }
  if (!marks) return skip(L('数据库未打开，无法查看回调记录。', 'The database is not open: callback records cannot be read.'))
  const m = await marks.read()
  const good = latest(m.get('callback_verified'), m.get('callback_accepted'))
  const failed = m.get('callback_failed')
  if (newer(failed, good)) {
    const reason = String(failed!.detail.reason ?? '')
    const known = REASONS[reason]
    return fail(
      L(`${when(failed!.at, timeZone)} 企业微信的回调被拒绝：${known?.summary.zh ?? reason}。`, `WeCom's callback at ${when(failed!.at, timeZone)} was refused: ${known?.summary.en ?? reason}.`),
      known
        ? join([L(`请核对 ${known.fix.zh}。`, `Check the ${known.fix.en}.`), paste])
        : paste,
    )
  }
  if (!good) return warn(L('还没有收到过企业微信的回调或 URL 校验。', 'No callback or URL check from WeCom has arrived yet.'), paste)
  const what = good === m.get('callback_accepted') ? L('收到回调', 'callback received') : L('URL 校验通过', 'URL check passed')
  const last = L(`最近一次${what.zh}：${when(good.at, timeZone)}。`, `Last ${what.en}: ${when(good.at, timeZone)}.`)
  return (await givenUp(r, last)) ?? ok(last)
}

/**
 * Callbacks the worker gave up on (5 failures): their changes reach the portal only through the
 * next sync or approval catch-up, and nothing else tells an admin without Prometheus.
 */
async function givenUp(r: DoctorRun, last: Localized): Promise<Outcome | undefined> {
  if (!r.ctx.db) return undefined
  const { count: parked, latest } = await parkedCallbacks(r.ctx.db)
  if (!latest) return undefined
  const at = when(latest.receivedAt, r.ctx.settings.get('timeZone'))
  // An error is kept up to 2,000 characters; a line on the page needs its start.
  const error = latest.error.length > 200 ? `${latest.error.slice(0, 200)}…` : latest.error
  return warn(
    join([
      L(`${parked} 条回调多次处理失败后已放弃，最近一条（${at}，${latest.what}）：${error}。`, `${parked} callback(s) given up after repeated failures; the latest (${at}, ${latest.what}): ${error}.`),
      last,
    ]),
    L(
      '按上面的错误处理（常见的是缺少通讯录权限，或成员不在应用可见范围）。放弃的回调不再重试：通讯录的变化由下一次同步补上，审批由定时补查补上。它们在保留期（RETENTION_DAYS）后删除。',
      'Act on the error above (often a missing contact permission, or a member outside the app\'s visible range). Given-up callbacks are not tried again: the next directory sync brings their directory changes, the scheduled approval catch-up their approvals. They are deleted after RETENTION_DAYS.',
    ),
  )
}
