import { createSettingsService, type SettingsService } from './admin/settings/service'
import { applyStoredSettings } from './admin/settings/startup'
import { loadConfig, type Config } from './config'
import type { Db } from './db'
import type { Logger } from './log'
import { SANDBOX_CALLBACK, SANDBOX_DEFAULTS } from './sandbox'

/** What every entry (server, `pnpm sync`, `pnpm run doctor`) starts from. */
export interface Booted {
  config: Config
  log: Logger
  /** Undefined when the entry runs without one (the doctor while the server holds PGlite). */
  db: Db | undefined
  /** The console's settings, applied; undefined without a database. */
  settings: SettingsService | undefined
}

/**
 * The start-up sequence the three entries share: configuration (read once from process.env, or
 * the problems printed and exit 1), logger, database, the settings saved in the admin console (a
 * corp stored there means WeCom mode), then sandbox mode's corp. Each entry says how it logs and
 * opens its database; nothing is built on the configuration before this returns.
 */
export async function bootstrap(steps: {
  /** Printed above the configuration problems. */
  configProblems: string
  logger: (config: Config) => Logger
  openDb: (config: Config, log: Logger) => Promise<Db | undefined>
  /** Stored settings could not be applied; default: the start fails. */
  settingsFailed?: (e: unknown) => void
}): Promise<Booted> {
  const loaded = loadConfig()
  if (!loaded.ok) {
    console.error(steps.configProblems)
    console.error(loaded.problems.map((p) => `  - ${p}`).join('\n'))
    process.exit(1)
  }
  const config = loaded.config
  const log = steps.logger(config)
  const db = await steps.openDb(config, log)
  let settings: SettingsService | undefined
  if (db) {
    settings = createSettingsService({ config, db, log, now: Date.now })
    await applyStoredSettings(config, settings).catch((e: unknown) => {
      if (!steps.settingsFailed) throw e
      steps.settingsFailed(e)
    })
  }
  if (config.mode === 'sandbox') useSandboxCorp(config)
  return { config: deepFreeze(config), log, db, settings }
}

/**
 * No corp configured: the app talks to the WeCom sandbox's demo corp, with the fixed, public
 * callback credentials (README) the sandbox seals its callbacks with; a Token or key set in env stays.
 */
function useSandboxCorp(config: Config): void {
  Object.assign(config.wecom, { corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, secret: SANDBOX_DEFAULTS.secret })
  config.wecom.callbackToken ??= SANDBOX_CALLBACK.token
  config.wecom.callbackAesKey ??= SANDBOX_CALLBACK.encodingAesKey
}

/**
 * Start-up is done: config is frozen, whole, so nothing changes it under a reader. What the admin
 * console changes is read through RuntimeSettings (the settings service holds the stored values).
 */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v)
    for (const x of Object.values(v)) deepFreeze(x)
  }
  return v
}
