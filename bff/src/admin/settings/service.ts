import type { SettingKey, SettingsUpdate, SettingsView } from '@portal/shared'
import type { Config } from '../../config'
import type { Db } from '../../db'
import type { Logger } from '../../log'

export interface SettingsService {
  /** Overlays the stored settings onto `config` (at start, and when another instance saved). */
  apply(): Promise<SettingKey[]>
  view(): Promise<SettingsView>
  /** Validates (live against WeCom where it matters), encrypts secrets, stores, applies. */
  save(update: SettingsUpdate, actor: string): Promise<SettingsView>
  /** Follows changes saved by other instances. */
  start(): void
  stop(): void
  /** Runs after settings in effect changed, with the keys that did. */
  onChange(listener: (changed: SettingKey[]) => void): void
}

// STUB — replaced by the settings work.
export function createSettingsService(_d: { config: Config; db: Db; log: Logger; now: () => number }): SettingsService {
  return {
    apply: async () => [],
    view: async () => ({ fields: [], keyPersistent: false, updatedAt: null, updatedBy: null }),
    save: async () => ({ fields: [], keyPersistent: false, updatedAt: null, updatedBy: null }),
    start() {},
    stop() {},
    onChange() {},
  }
}
