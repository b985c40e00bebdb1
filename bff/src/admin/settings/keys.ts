import { booleanSettingKeys, secretSettingKeys, settingKeys, type SettingKey } from '@portal/shared'
import type { Config } from '../../config'
import { formatHostNames, parseHostNames, type HostNames } from '../../config/host-names'
import { isLogLevel } from '../../log'
import { DEFAULT_TIME_ZONE } from '../../time/corp-time'
import { runtimeValue, type RuntimeValues } from './runtime'

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

const OPTIONAL_TEXT: readonly SettingKey[] = ['corpId', 'agentId', 'secret', 'contactSecret', 'callbackToken', 'callbackAesKey']

/** A value in effect as the console shows and compares it: '' and {} are "not set". */
export function settingText<K extends SettingKey>(key: K, value: RuntimeValues[K]): SettingValue {
  if (key === 'hostDisplayNames') return formatHostNames(value as HostNames) || undefined
  if (OPTIONAL_TEXT.includes(key)) return (value as string | undefined) || undefined
  return value as string | boolean
}

/** What `config` holds for `key` (env, O2OA file, defaults, sandbox corp): what is in effect when nothing is stored. */
export const readSetting = (config: Config, key: SettingKey): SettingValue => settingText(key, runtimeValue(config, key))

/** A stored (or fallback) value as the service holds it in effect. */
export function toRuntime<K extends SettingKey>(key: K, value: SettingValue): RuntimeValues[K] {
  const text = typeof value === 'string' ? value : ''
  const v = (() => {
    switch (key) {
      case 'contactSecret':
      case 'callbackToken':
      case 'callbackAesKey':
        return text || undefined
      case 'apiBase': return text.replace(/\/+$/, '')
      case 'messageEnable':
      case 'contactConsent':
        return value === true
      case 'rolePolicy': return text === 'explicit' ? 'explicit' : 'all-members'
      case 'logLevel': return isLogLevel(text) ? text : 'info'
      case 'timeZone': return text || DEFAULT_TIME_ZONE
      case 'hostDisplayNames': return parsedHostNames(text)
      default: return text
    }
  })()
  return v as RuntimeValues[K]
}

/** Stored values were checked (checkFormat) before they get here: a bad one names no host. */
function parsedHostNames(text: string): HostNames {
  const parsed = parseHostNames(text)
  return parsed.ok ? parsed.names : {}
}

/** Rows hold text; the on/off settings hold 'true' or 'false'. */
export const toText = (v: string | boolean): string => (typeof v === 'boolean' ? String(v) : v)
export const fromText = (key: SettingKey, text: string): string | boolean => (isBoolean(key) ? text === 'true' : text)
