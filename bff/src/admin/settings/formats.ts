import type { SettingKey } from '@portal/shared'
import { validQuartz } from '../../config/quartz'

export type Checked = { ok: true; value: string | boolean | null } | { ok: false; problem: string }

const QUARTZ = 'a Quartz cron expression, seconds first, e.g. "10 0/10 * * * ?"'

/**
 * The shape each setting must have, before anything is asked of WeCom. `null` (and an empty
 * string) clears a stored value. Also run on stored values when they are applied, so a row
 * written by hand cannot put a broken cron into the scheduler.
 */
export function checkFormat(key: SettingKey, raw: string | boolean | null): Checked {
  if (raw === null) return { ok: true, value: null }
  if (key === 'messageEnable') return typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, problem: 'Expected true or false.' }
  if (typeof raw !== 'string') return { ok: false, problem: 'Expected text.' }
  const v = raw.trim()
  if (v === '') return { ok: true, value: null }
  const ok = (value: string): Checked => ({ ok: true, value })
  const bad = (problem: string): Checked => ({ ok: false, problem })
  switch (key) {
    case 'corpId':
      return /^[A-Za-z0-9_-]{4,64}$/.test(v) ? ok(v) : bad('Expected a CorpID like ww0123456789abcdef (我的企业 → 企业信息 → 企业ID).')
    case 'agentId':
      return /^\d{1,10}$/.test(v) ? ok(v) : bad("Expected the app's AgentId: digits only, e.g. 1000002.")
    case 'secret':
    case 'contactSecret':
      return /^[\x21-\x7e]{8,256}$/.test(v) ? ok(v) : bad('Expected the Secret as WeCom shows it: 8 or more characters, no spaces.')
    case 'apiBase':
      return httpUrl(v) ? ok(v.replace(/\/+$/, '')) : bad('Expected an http(s) URL without query or fragment, e.g. https://qyapi.weixin.qq.com or your egress proxy.')
    case 'callbackToken':
      return /^[A-Za-z0-9]{1,32}$/.test(v) ? ok(v) : bad('Expected up to 32 letters and digits (接收消息 → Token).')
    case 'callbackAesKey':
      return /^[A-Za-z0-9]{43}$/.test(v) ? ok(v) : bad('Expected exactly 43 letters and digits (接收消息 → EncodingAESKey).')
    case 'syncCron':
    case 'forceSyncCron':
    case 'approvalCron':
      return validQuartz(v) ? ok(v) : bad(`Not a valid schedule: expected ${QUARTZ}.`)
    case 'rolePolicy':
      return v === 'all-members' || v === 'explicit' ? ok(v) : bad('Expected all-members or explicit.')
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
