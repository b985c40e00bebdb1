import type { SettingKey } from '@portal/shared'
import { settingsOf, type RuntimeSettings, type RuntimeValues } from '../../src/admin/settings/runtime'
import type { Config } from '../../src/config'

export type TestSettings = RuntimeSettings & {
  /** What a console save does: the key holds `value` from now on (undefined: unset), listeners hear of it. */
  set<K extends SettingKey>(key: K, value: RuntimeValues[K]): void
}

/**
 * Runtime settings for a unit test: the config's values until `set` changes one, as the settings
 * service does after a console save. The config itself is never written (the server's is frozen).
 */
export function testSettings(config: Config): TestSettings {
  const base = settingsOf(config)
  const saved = new Map<SettingKey, unknown>()
  const listeners: ((changed: SettingKey[]) => void)[] = []
  return {
    get: ((key: SettingKey) => (saved.has(key) ? saved.get(key) : base.get(key))) as RuntimeSettings['get'],
    onChange: (listener) => void listeners.push(listener),
    set(key, value) {
      saved.set(key, value)
      for (const l of listeners) l([key])
    },
  }
}
