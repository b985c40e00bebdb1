import type { Localized, SettingField, SettingKey, SettingsView } from '@portal/shared'
import type { Config } from '../../config'
import { allKeys, envVars, identityKeys, isSecret, type SettingValue } from './keys'
import { effectiveText, type Applied } from './overlay'

/** Decoded rows: a usable value, or why the row is not used. */
export type StoredEntry = { value: string | boolean; problem?: undefined; updatedAt: Date; updatedBy: string } | { value?: undefined; problem: Localized; updatedAt: Date; updatedBy: string }

/** Sandbox mode fills these in from its built-in corp when nothing else does. */
const SANDBOX_KEYS: readonly SettingKey[] = ['corpId', 'agentId', 'secret', 'apiBase', 'callbackToken', 'callbackAesKey', 'hostDisplayNames']

/** Secrets show as dots and their last 4 characters, and only when long enough to keep most hidden. */
export function mask(secret: string): string {
  return `••••${secret.length >= 12 ? secret.slice(-4) : ''}`
}

/**
 * What the console shows. Secrets never leave in full. A held corp switch shows the saved
 * (pending) identity with `restartRequired`, so the admin sees what the restart will use.
 */
export function buildView(config: Config, applied: Applied, stored: ReadonlyMap<SettingKey, StoredEntry>, held: boolean, lang: 'zh' | 'en'): SettingsView {
  const fields = allKeys.map((key): SettingField => {
    const lock = config.locked[key]
    const entry = stored.get(key)
    const pending = held && identityKeys.includes(key) && entry?.value !== undefined && !lock
    const value: SettingValue = pending ? entry!.value : effectiveText(config, applied, key)
    const source: SettingField['source'] = lock
      ? lock.source
      : applied.has(key) || pending
        ? 'stored'
        : config.mode === 'sandbox' && SANDBOX_KEYS.includes(key) && value !== undefined
          ? 'sandbox'
          : 'default'
    const set = value !== undefined && value !== ''
    const secret = isSecret(key)
    return {
      key,
      secret,
      set,
      source,
      locked: !!lock,
      envVar: lock?.envVar ?? envVars[key],
      ...(set && !secret ? { value } : {}),
      ...(set && secret && typeof value === 'string' ? { masked: mask(value) } : {}),
      ...(entry?.problem && !lock ? { problem: entry.problem[lang] } : {}),
    }
  })
  const latest = [...stored.values()].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0]
  return {
    fields,
    keyPersistent: config.settingsKey.persistent,
    updatedAt: latest ? latest.updatedAt.toISOString() : null,
    updatedBy: latest ? latest.updatedBy : null,
    ...(held ? { restartRequired: true } : {}),
  }
}
