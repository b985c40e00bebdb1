import type { SettingKey } from '@portal/shared'
import type { Config } from '../../config'
import { allKeys, identityKeys, readSetting, writeSetting, type SettingValue } from './keys'

/** What the overlay did to `config` so far; lives as long as the settings service. */
export interface OverlayState {
  /** What config held before a stored value replaced it: put back when that value is cleared. */
  original: Map<SettingKey, SettingValue>
  /** Keys whose value in config comes from the store. */
  applied: Set<SettingKey>
}

export const newOverlayState = (): OverlayState => ({ original: new Map(), applied: new Set() })

/**
 * Puts the stored values into `config`: env/file (locked) > stored > what config held before
 * (loadConfig's defaults, or sandbox mode's corp). Values never stored are left as they are,
 * so start-up code may still set defaults after the first apply.
 *
 * A stored corp other than the running one is held back with the rest of the identity (agentId,
 * secret, apiBase): the directory, sessions and tickets belong to the running corp, so switching
 * takes a restart. With no corp running at all (first start) it applies at once.
 */
export function overlay(config: Config, state: OverlayState, stored: ReadonlyMap<SettingKey, string | boolean>): { changed: SettingKey[]; held: boolean } {
  const desired = new Map<SettingKey, SettingValue>()
  for (const key of allKeys) {
    if (config.locked[key]) continue
    if (stored.has(key)) desired.set(key, stored.get(key))
    else if (state.applied.has(key)) desired.set(key, state.original.get(key))
  }
  const runningCorp = readSetting(config, 'corpId')
  const held = desired.has('corpId') && !!runningCorp && desired.get('corpId') !== runningCorp
  if (held) for (const key of identityKeys) desired.delete(key)

  const changed: SettingKey[] = []
  for (const [key, value] of desired) {
    const before = readSetting(config, key)
    if (stored.has(key)) {
      if (!state.applied.has(key)) state.original.set(key, before)
      state.applied.add(key)
    } else {
      state.applied.delete(key)
      state.original.delete(key)
    }
    if (before === value) continue
    writeSetting(config, key, value)
    if (readSetting(config, key) !== before) changed.push(key)
  }
  return { changed, held }
}
