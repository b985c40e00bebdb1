import type { Config } from '../../config'
import type { RuntimeSettings } from '../settings/runtime'
import type { Db } from '../../db'
import type { Logger } from '../../log'
import { createTokenCache, createWeComClient } from '../../wecom'
import { recordIpRejected, type HealthMarks } from '../marks'
import type { DoctorContext } from './types'

/** What the doctor's checks read (the CLI has no marks, and no database while the server holds PGlite). */
export interface DoctorNeeds {
  config: Config
  settings: Pick<RuntimeSettings, 'get'>
  log: Logger
  now: () => number
  db?: Db
  marks?: HealthMarks
}

/**
 * What the checks see: the config, the console's settings in effect, the database and marks when there are
 * some (the CLI may run without), and WeCom through `wecomFetch` (the CLI's in-process sandbox).
 */
export function doctorContext(
  d: DoctorNeeds,
  opts: { testMessageTo?: string; wecomFetch?: typeof fetch } = {},
): DoctorContext {
  const { config, settings, log, now, marks } = d
  return {
    config,
    settings,
    db: d.db,
    log,
    now,
    marks,
    fetch: globalThis.fetch.bind(globalThis),
    testMessageTo: opts.testMessageTo,
    client: (secret) =>
      createWeComClient({
        apiBase: settings.get('apiBase'),
        corpId: settings.get('corpId'),
        secret,
        // Its own cache: the check must really ask WeCom, not reuse the app's cached token.
        tokens: createTokenCache(),
        proxyUrl: config.wecom.proxyUrl,
        now,
        logger: log,
        onError: recordIpRejected(marks),
        ...(opts.wecomFetch ? { fetch: opts.wecomFetch } : {}),
      }),
  }
}
