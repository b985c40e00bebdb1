import { PrincipalCache } from './auth/principal-cache'
import type { Config } from './config'
import { openDb, type Db } from './db'
import { createLogger, type Logger } from './log'
import { createTokenCache, createWeComClient, type WeComClient } from './wecom'

/** Everything a route needs, built once at start; tests build their own. */
export interface Deps {
  config: Config
  db: Db
  wecom: WeComClient
  log: Logger
  now: () => number
  /** Who each live session cookie belongs to, for a few seconds. */
  principals: PrincipalCache
}

export async function createDeps(config: Config, overrides: Partial<Omit<Deps, 'config'>> = {}): Promise<Deps> {
  const log = overrides.log ?? createLogger({ level: config.logLevel })
  const db = overrides.db ?? (await openDb({ url: config.database.url, dataDir: config.database.dataDir }))
  const now = overrides.now ?? Date.now
  const wecom =
    overrides.wecom ??
    createWeComClient({
      apiBase: config.wecom.apiBase,
      corpId: config.wecom.corpId,
      secret: config.wecom.secret,
      tokens: createTokenCache(),
      proxyUrl: config.wecom.proxyUrl,
      now,
      logger: log,
    })
  return { config, db, wecom, log, now, principals: overrides.principals ?? new PrincipalCache() }
}
