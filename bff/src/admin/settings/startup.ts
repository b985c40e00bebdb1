import { useWeComMode, type Config } from '../../config'
import type { SettingsService } from './service'

/**
 * At start, before the mode is decided: the stored settings first. A corp stored in the console
 * (none from env or the O2OA file) means WeCom mode, with WeCom's defaults instead of the
 * sandbox's. Returns the mode to run in; sandbox mode still fills in its own corp afterwards.
 */
export async function applyStoredSettings(config: Config, settings: SettingsService, env?: Record<string, string | undefined>): Promise<Config['mode']> {
  await settings.apply()
  if (config.mode === 'sandbox' && settings.get('corpId')) {
    const { fields } = await settings.view()
    const stored = (key: string) => fields.find((f) => f.key === key)?.source === 'stored'
    useWeComMode(config, { apiBaseStored: stored('apiBase'), hostDisplayNamesStored: stored('hostDisplayNames') }, env)
  }
  return config.mode
}
