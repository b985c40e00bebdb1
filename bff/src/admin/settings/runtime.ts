import type { SettingKey } from '@portal/shared'
import type { Config } from '../../config'
import type { HostNames } from '../../config/host-names'
import type { LogLevel } from '../../log'

/** What each console-changeable setting holds while the server runs. */
export interface RuntimeValues {
  corpId: string
  agentId: string
  secret: string
  contactSecret: string | undefined
  apiBase: string
  callbackToken: string | undefined
  callbackAesKey: string | undefined
  syncCron: string
  forceSyncCron: string
  approvalCron: string
  messageEnable: boolean
  rolePolicy: Config['roles']['policy']
  logLevel: LogLevel
  timeZone: string
  contactConsent: boolean
  hostDisplayNames: HostNames
}

/**
 * The settings the admin console may change while the server runs: read them here, at the moment
 * they are needed (never keep a copy), and follow saves with `onChange` (this instance's and other
 * instances', which the settings service polls for).
 */
export interface RuntimeSettings {
  get<K extends SettingKey>(key: K): RuntimeValues[K]
  /** Runs after settings in effect changed, with the keys that did. */
  onChange(listener: (changed: SettingKey[]) => void): void
}

const readers: { [K in SettingKey]: (c: Config) => RuntimeValues[K] } = {
  corpId: (c) => c.wecom.corpId,
  agentId: (c) => c.wecom.agentId,
  secret: (c) => c.wecom.secret,
  contactSecret: (c) => c.wecom.contactSecret,
  apiBase: (c) => c.wecom.apiBase,
  callbackToken: (c) => c.wecom.callbackToken,
  callbackAesKey: (c) => c.wecom.callbackAesKey,
  syncCron: (c) => c.sync.cron,
  forceSyncCron: (c) => c.sync.forceCron,
  approvalCron: (c) => c.approvalCron,
  messageEnable: (c) => c.messageEnable,
  rolePolicy: (c) => c.roles.policy,
  logLevel: (c) => c.logLevel,
  timeZone: (c) => c.timeZone,
  contactConsent: (c) => c.contactConsent,
  hostDisplayNames: (c) => c.hostDisplayNames,
}

/** The value in effect of `key` in the settings service's view of the configuration. */
export const runtimeValue = <K extends SettingKey>(config: Config, key: K): RuntimeValues[K] => readers[key](config)

/** The values `config` holds as RuntimeSettings that never announce a change: tests and one-shot tools. */
export const settingsOf = (config: Config): RuntimeSettings => ({ get: (key) => runtimeValue(config, key), onChange() {} })
