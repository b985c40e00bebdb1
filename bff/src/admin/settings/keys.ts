import { booleanSettingKeys, secretSettingKeys, settingKeys, type SettingKey } from '@portal/shared'
import type { Config } from '../../config'
import { formatHostNames, parseHostNames, type HostNames } from '../../config/host-names'
import { isLogLevel } from '../../log'
import { DEFAULT_TIME_ZONE } from '../../time/corp-time'

/** A setting's value in effect; undefined = not set (optional settings only). */
export type SettingValue = string | boolean | undefined

/** The env var behind each setting: shown on locked fields and named when a save is refused. */
export const envVars: Record<SettingKey, string> = {
  corpId: 'WECOM_CORP_ID',
  agentId: 'WECOM_AGENT_ID',
  secret: 'WECOM_SECRET',
  contactSecret: 'WECOM_CONTACT_SECRET',
  apiBase: 'WECOM_API_BASE',
  callbackToken: 'WECOM_CALLBACK_TOKEN',
  callbackAesKey: 'WECOM_CALLBACK_AES_KEY',
  syncCron: 'SYNC_CRON',
  forceSyncCron: 'FORCE_SYNC_CRON',
  approvalCron: 'APPROVAL_SYNC_CRON',
  messageEnable: 'MESSAGE_ENABLE',
  rolePolicy: 'ROLE_POLICY',
  logLevel: 'LOG_LEVEL',
  timeZone: 'CORP_TIME_ZONE',
  contactConsent: 'CONTACT_CONSENT',
  hostDisplayNames: 'HOST_DISPLAY_NAMES',
}

/** Which corp and app the process talks to: changing the corp needs a restart (its directory, its sessions). */
export const identityKeys: readonly SettingKey[] = ['corpId', 'agentId', 'secret', 'apiBase']
/** What makes a live check against WeCom necessary. */
export const credentialKeys: readonly SettingKey[] = [...identityKeys, 'contactSecret']

export const allKeys: readonly SettingKey[] = settingKeys
export const isSecret = (key: SettingKey) => secretSettingKeys.includes(key)
export const isBoolean = (key: SettingKey) => booleanSettingKeys.includes(key)

/** The one place that knows where each setting lives in Config. */
export function readSetting(config: Config, key: SettingKey): SettingValue {
  const w = config.wecom
  switch (key) {
    case 'corpId': return w.corpId || undefined
    case 'agentId': return w.agentId || undefined
    case 'secret': return w.secret || undefined
    case 'contactSecret': return w.contactSecret || undefined
    case 'apiBase': return w.apiBase
    case 'callbackToken': return w.callbackToken || undefined
    case 'callbackAesKey': return w.callbackAesKey || undefined
    case 'syncCron': return config.sync.cron
    case 'forceSyncCron': return config.sync.forceCron
    case 'approvalCron': return config.approvalCron
    case 'messageEnable': return config.messageEnable
    case 'rolePolicy': return config.roles.policy
    case 'logLevel': return config.logLevel
    case 'timeZone': return config.timeZone
    case 'contactConsent': return config.contactConsent
    case 'hostDisplayNames': return formatHostNames(config.hostDisplayNames) || undefined
  }
}

export function writeSetting(config: Config, key: SettingKey, value: SettingValue): void {
  const w = config.wecom
  const text = typeof value === 'string' ? value : ''
  switch (key) {
    case 'corpId': w.corpId = text; break
    case 'agentId': w.agentId = text; break
    case 'secret': w.secret = text; break
    case 'contactSecret': w.contactSecret = text || undefined; break
    case 'apiBase': w.apiBase = text.replace(/\/+$/, ''); break
    case 'callbackToken': w.callbackToken = text || undefined; break
    case 'callbackAesKey': w.callbackAesKey = text || undefined; break
    case 'syncCron': config.sync.cron = text; break
    case 'forceSyncCron': config.sync.forceCron = text; break
    case 'approvalCron': config.approvalCron = text; break
    case 'messageEnable': config.messageEnable = value === true; break
    case 'rolePolicy': config.roles.policy = text === 'explicit' ? 'explicit' : 'all-members'; break
    case 'logLevel': config.logLevel = isLogLevel(text) ? text : 'info'; break
    case 'timeZone': config.timeZone = text || DEFAULT_TIME_ZONE; break
    case 'contactConsent': config.contactConsent = value === true; break
    case 'hostDisplayNames': config.hostDisplayNames = parsedHostNames(text); break
  }
}

/** Stored values were checked (checkFormat) before they get here: a bad one names no host. */
function parsedHostNames(text: string): HostNames {
  const parsed = parseHostNames(text)
  return parsed.ok ? parsed.names : {}
}

/** Rows hold text; the on/off settings hold 'true' or 'false'. */
export const toText = (v: string | boolean): string => (typeof v === 'boolean' ? String(v) : v)
export const fromText = (key: SettingKey, text: string): string | boolean => (isBoolean(key) ? text === 'true' : text)
