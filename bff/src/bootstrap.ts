import { createSettingsService, type SettingsService } from './admin/settings/service'
import { withStoredSettings } from './admin/settings/startup'
import { freezeConfig, loadConfig, type Config } from './config'
import type { Db } from './db'
import { createLogger, type Logger } from './log'
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
  const log = steps.logger(loaded.config)
  const db = await steps.openDb(loaded.config, log)
  const { config, settings } = await settleConfig(loaded.config, { db, log, settingsFailed: steps.settingsFailed })
  return { config, log, db, settings }
}

/**
 * From the loaded config to the one to run with: the stored settings decide the mode, sandbox
 * mode gets its corp, and the result is frozen. Each step produces a new config (`loaded` is not
 * written), and the settings service that runs is built on the result, so it reads the mode's
 * defaults. `env`: what the mode decision reads besides the config (process.env by default).
 */
export async function settleConfig(
  loaded: Config,
  d: { db: Db | undefined; log: Logger; settingsFailed?: (e: unknown) => void; env?: Record<string, string | undefined> },
): Promise<{ config: Config; settings: SettingsService | undefined }> {
  const { db, log } = d
  const failed = (e: unknown) => {
    if (!d.settingsFailed) throw e
    d.settingsFailed(e)
  }
  let config = loaded
  let read = false
  if (db) {
    // Only read for the decision, so quiet: the service built below applies the same rows and logs what it finds.
    const stored = createSettingsService({ config, db, log: createLogger({ level: 'error', write: () => {} }), now: Date.now })
    try {
      config = await withStoredSettings(config, stored, d.env)
      read = true
    } catch (e) {
      failed(e)
    }
  }
  if (config.mode === 'sandbox') config = withSandboxCorp(config)
  freezeConfig(config)
  const settings = db ? createSettingsService({ config, db, log, now: Date.now }) : undefined
  // After a failed read it stays unapplied: settingsFailed has said why.
  if (settings && read) await settings.apply().catch(failed)
  return { config, settings }
}

/**
 * No corp configured: the app talks to the WeCom sandbox's demo corp, with the fixed, public
 * callback credentials (README) the sandbox seals its callbacks with; a Token or key set in env stays.
 */
function withSandboxCorp(config: Config): Config {
  return {
    ...config,
    wecom: {
      ...config.wecom,
      corpId: SANDBOX_DEFAULTS.corpId,
      agentId: SANDBOX_DEFAULTS.agentId,
      secret: SANDBOX_DEFAULTS.secret,
      callbackToken: config.wecom.callbackToken ?? SANDBOX_CALLBACK.token,
      callbackAesKey: config.wecom.callbackAesKey ?? SANDBOX_CALLBACK.encodingAesKey,
    },
  }
}
