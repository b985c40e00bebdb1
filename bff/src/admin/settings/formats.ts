import { booleanSettingKeys, type Localized, type SettingKey } from '@portal/shared'
import { formatHostNames, parseHostNames } from '../../config/host-names'
import { validQuartz } from '../../config/quartz'
import { isLogLevel } from '../../log'
import { validTimeZone } from '../../time/corp-time'

export type Checked = { ok: true; value: string | boolean | null } | { ok: false; problem: Localized }

const L = (zh: string, en: string): Localized => ({ zh, en })

/**
 * The shape each setting must have, before anything is asked of WeCom. `null` (and an empty
 * string) clears a stored value. Also run on stored values when they are applied, so a row
 * written by hand cannot put a broken cron into the scheduler.
 */
export function checkFormat(key: SettingKey, raw: string | boolean | null): Checked {
  if (raw === null) return { ok: true, value: null }
  if (booleanSettingKeys.includes(key)) return typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, problem: L('应为开或关（true / false）。', 'Expected true or false.') }
  if (typeof raw !== 'string') return { ok: false, problem: L('应为文本。', 'Expected text.') }
  const v = raw.trim()
  if (v === '') return { ok: true, value: null }
  const ok = (value: string): Checked => ({ ok: true, value })
  const bad = (zh: string, en: string): Checked => ({ ok: false, problem: L(zh, en) })
  switch (key) {
    case 'corpId':
      return /^[A-Za-z0-9_-]{4,64}$/.test(v) ? ok(v) : bad('企业ID 形如 ww0123456789abcdef（我的企业 → 企业信息 → 企业ID）。', 'Expected a CorpID like ww0123456789abcdef (我的企业 → 企业信息 → 企业ID).')
    case 'agentId':
      return /^\d{1,10}$/.test(v) ? ok(v) : bad('AgentId 只含数字，例如 1000002。', "Expected the app's AgentId: digits only, e.g. 1000002.")
    case 'secret':
    case 'contactSecret':
      return /^[\x21-\x7e]{8,256}$/.test(v) ? ok(v) : bad('请按企业微信后台显示的原样填写 Secret：至少 8 个字符，不含空格。', 'Expected the Secret as WeCom shows it: 8 or more characters, no spaces.')
    case 'apiBase':
      return httpUrl(v) ? ok(v.replace(/\/+$/, '')) : bad('应为 http(s) 地址，不带查询参数，例如 https://qyapi.weixin.qq.com 或你的出口代理。', 'Expected an http(s) URL without query or fragment, e.g. https://qyapi.weixin.qq.com or your egress proxy.')
    case 'callbackToken':
      return /^[A-Za-z0-9]{1,32}$/.test(v) ? ok(v) : bad('Token 为最多 32 位英文字母或数字（接收消息 → Token）。', 'Expected up to 32 letters and digits (接收消息 → Token).')
    case 'callbackAesKey':
      return /^[A-Za-z0-9]{43}$/.test(v) ? ok(v) : bad('EncodingAESKey 为 43 位英文字母或数字（接收消息 → EncodingAESKey）。', 'Expected exactly 43 letters and digits (接收消息 → EncodingAESKey).')
    case 'syncCron':
    case 'forceSyncCron':
    case 'approvalCron':
      return validQuartz(v) ? ok(v) : bad('不是有效的计划：应为 Quartz 表达式，秒在最前，例如 "10 0/10 * * * ?"。', 'Not a valid schedule: expected a Quartz cron expression, seconds first, e.g. "10 0/10 * * * ?".')
    case 'timeZone':
      return validTimeZone(v) ? ok(v) : bad('应为时区名称（IANA），例如 Asia/Shanghai 或 UTC。', 'Expected an IANA time zone name, e.g. Asia/Shanghai or UTC.')
    case 'hostDisplayNames': {
      const parsed = parseHostNames(v)
      if (!parsed.ok) return { ok: false, problem: parsed.problem }
      // Only separators typed: nothing to name, so nothing stored.
      return { ok: true, value: formatHostNames(parsed.names) || null }
    }
    case 'rolePolicy':
      return v === 'all-members' || v === 'explicit' ? ok(v) : bad('应为 all-members 或 explicit。', 'Expected all-members or explicit.')
    case 'logLevel':
      return isLogLevel(v) ? ok(v) : bad('应为 debug、info、warn 或 error。', 'Expected debug, info, warn or error.')
    case 'messageEnable':
    case 'contactConsent':
      return bad('应为开或关（true / false）。', 'Expected true or false.')
  }
}

function httpUrl(v: string): boolean {
  try {
    const u = new URL(v)
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.host && !u.search && !u.hash && !u.username && !u.password
  } catch {
    return false
  }
}
