import type { SettingKey } from '@portal/shared'
import type { Config } from '../../config'
import { allKeys, identityKeys, settingText, toRuntime, type SettingValue } from './keys'
import { runtimeValue, type RuntimeValues } from './runtime'

/** The stored values in effect, held by the settings service: config is never written. */
export type Applied = Map<SettingKey, RuntimeValues[SettingKey]>

/** The value in effect: env/file (locked) > stored (applied) > what config holds (loadConfig's defaults, or sandbox mode's corp). */
export function effectiveValue<K extends SettingKey>(config: Config, applied: Applied, key: K): RuntimeValues[K] {
  return applied.has(key) ? (applied.get(key) as RuntimeValues[K]) : runtimeValue(config, key)
}

export const effectiveText = (config: Config, applied: Applied, key: SettingKey): SettingValue => settingText(key, effectiveValue(config, applied, key))

/**
 * Puts the stored values in effect (in `applied`); a locked key (env/file) keeps config's value,
 * a key with nothing stored falls back to config's.
 *
 * A stored corp other than the running one is held back with the rest of the identity (agentId,
 * secret, apiBase): the directory, sessions and tickets belong to the running corp, so switching
 * takes a restart. With no corp running at all (first start) it applies at once.
 */
export function overlay(config: Config, applied: Applied, stored: ReadonlyMap<SettingKey, string | boolean>): { changed: SettingKey[]; held: boolean } {
  const runningCorp = effectiveText(config, applied, 'corpId')
  const held = !config.locked.corpId && stored.has('corpId') && !!runningCorp && stored.get('corpId') !== runningCorp
  const changed: SettingKey[] = []
  for (const key of allKeys) {
    if (held && identityKeys.includes(key)) continue
    const before = effectiveText(config, applied, key)
    if (!config.locked[key] && stored.has(key)) applied.set(key, toRuntime(key, stored.get(key)))
    else applied.delete(key)
    if (effectiveText(config, applied, key) !== before) changed.push(key)
  }
  return { changed, held }
}
