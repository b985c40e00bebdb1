import { withWeComMode, type Config } from '../../config'
import type { SettingsService } from './service'

/**
 * At start, before the mode is decided: the config to run with, given the stored settings. A corp
 * stored in the console (none from env or the O2OA file) means WeCom mode, with WeCom's defaults
 * instead of the sandbox's. `stored` is a settings service built on `config`, only read here;
 * `config` is not written. Sandbox mode still fills in its own corp afterwards.
 */
export async function withStoredSettings(config: Config, stored: SettingsService, env?: Record<string, string | undefined>): Promise<Config> {
  await stored.apply()
  if (config.mode !== 'sandbox' || !stored.get('corpId')) return config
  const { fields } = await stored.view()
  const isStored = (key: string) => fields.find((f) => f.key === key)?.source === 'stored'
  return withWeComMode(config, { apiBaseStored: isStored('apiBase'), hostDisplayNamesStored: isStored('hostDisplayNames') }, env)
}
