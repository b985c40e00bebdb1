import { createHealthMarks, recordIpRejected, type HealthMarks } from './admin/marks'
import { createSettingsService, type SettingsService } from './admin/settings/service'
import { settingsOf } from './admin/settings/runtime'
import { PrincipalCache } from './auth/principal-cache'
import { createCallbacks, type Callbacks } from './callbacks'
import { freezeConfig, type Config } from './config'
import { contactChangeHandler } from './directory/contact-events'
import { approvalNumber } from './todos/approval-event'
import { recordCardEvent } from './todos/card-events'
import { createApprovalSync, type ApprovalSync } from './todos/approval-sync'
import { createTodoLists, type TodoLists } from './todos/list-cache'
import { DirectoryReadModel } from './directory/read-model'
import { createSyncEngine } from './directory/sync-engine'
import { createSyncService, type SyncService } from './directory/sync-service'
import { openDb, type Db } from './db'
import { createLogger, type Logger } from './log'
import { createMetrics, type Metrics } from './metrics'
import { createOutboxWorker, type OutboxWorker } from './notify'
import { createTokenCache, type WeComClient } from './wecom'
import { createSwitchableWeComClient } from './wecom/switchable-client'
import { createApiLimiter, type ApiLimiter } from './rate/api-limiter'
import { createRateBudgets } from './rate/budget'
import { createRetention, type Retention } from './retention'

/** Everything a route needs, built once at start; tests build their own. */
export interface Deps {
  config: Config
  db: Db
  wecom: WeComClient
  log: Logger
  now: () => number
  /** Who each live session cookie belongs to, for a few seconds. */
  principals: PrincipalCache
  /** The directory in memory for the read endpoints. */
  readModel: DirectoryReadModel
  sync: SyncService
  /** WeCom callbacks: handlers register on the dispatcher; the worker applies the inbox. */
  callbacks: Callbacks
  /** Approval todos: applied per sys_approval_change, and by a scheduled catch-up. */
  approvals: ApprovalSync
  /** Sends the notification outbox; `wake()` after a commit that queued messages. */
  outbox: OutboxWorker
  /** Console settings: stored (secrets encrypted), followed across instances; read live with `settings.get`. */
  settings: SettingsService
  /** What the doctor cannot ask WeCom: the IP of the last 60020, callback and sign-in outcomes. */
  marks: HealthMarks
  /**
   * WeCom's per-API limits, counted for all instances in the database: every directory and
   * approval read takes from it (sync, callback re-reads, approval catch-up).
   */
  apiLimiter: ApiLimiter
  /** Members' todo lists in memory; every todo write reports the members it touched. */
  todoLists: TodoLists
  /** Prometheus metrics of this instance (served on METRICS_PORT by the server entry). */
  metrics: Metrics
  /** Deletes rows past their use, daily (RETENTION_DAYS). */
  retention: Retention
}

export async function createDeps(config: Config, overrides: Partial<Omit<Deps, 'config'>> = {}): Promise<Deps> {
  // Bootstrap froze it already; one a test or bench built is frozen here, so a write throws as in the server.
  freezeConfig(config)
  // The level in effect (a console-saved one once the settings are applied; saves follow below).
  const log = overrides.log ?? createLogger({ level: (overrides.settings ?? settingsOf(config)).get('logLevel') })
  const db = overrides.db ?? (await openDb({ ...config.database, onConnectionError: (e) => log.warn('database connection lost', { err: e }) }))
  const now = overrides.now ?? Date.now
  const metrics = overrides.metrics ?? createMetrics({ db, now })
  const marks = overrides.marks ?? createHealthMarks({ db, now, log })
  const settings = overrides.settings ?? createSettingsService({ config, db, log, now })
  const tokens = createTokenCache()
  // Reads the settings on every call: credentials saved in the admin console apply without a restart.
  const wecom =
    overrides.wecom ??
    createSwitchableWeComClient(() => ({
      apiBase: settings.get('apiBase'),
      corpId: settings.get('corpId'),
      secret: settings.get('secret'),
      tokens,
      proxyUrl: config.wecom.proxyUrl,
      now,
      logger: log,
      // A 60020 says which IP WeCom sees: the setup page shows it to add under 企业可信IP.
      onError: recordIpRejected(marks),
      onCall: metrics.wecomCall,
    }))
  const principals = overrides.principals ?? new PrincipalCache()
  const readModel = overrides.readModel ?? new DirectoryReadModel(db, now, undefined, metrics.directoryRebuild)
  const apiLimiter = overrides.apiLimiter ?? createApiLimiter({ budgets: createRateBudgets(db), now })
  const engine = createSyncEngine({ db, settings, wecom, log, now, principals, maxDisableShare: config.sync.maxDisableShare, limiter: apiLimiter, onFinished: metrics.syncRun })
  const sync = overrides.sync ?? createSyncService({ db, engine, readModel, log, now })
  const callbacks = overrides.callbacks ?? createCallbacks({ db, log })
  const outbox = overrides.outbox ?? createOutboxWorker({ db, wecom, log, now, settings })
  const todoLists = overrides.todoLists ?? createTodoLists({ db, now })
  const approvals = overrides.approvals ?? createApprovalSync({ config, settings, db, wecom, log, now, outbox, apiLimiter, todoLists })
  const retention = overrides.retention ?? createRetention({ db, log, now, days: config.retention.days, onPruned: metrics.rowsPruned })
  const deps: Deps = { config, db, wecom, log, now, principals, readModel, sync, callbacks, outbox, approvals, settings, marks, apiLimiter, todoLists, metrics, retention }
  settings.onChange((changed) => {
    if (changed.includes('syncCron') || changed.includes('forceSyncCron')) sync.reschedule({ cron: settings.get('syncCron'), forceCron: settings.get('forceSyncCron') })
    // Cached principals carry roles computed under the old policy.
    if (changed.includes('rolePolicy')) principals.clear()
    if (changed.includes('logLevel')) log.setLevel(settings.get('logLevel'))
    // Sends held back while messages were off, or paused on the old credentials' errors, may go now.
    if (changed.some((k) => k === 'messageEnable' || k === 'secret' || k === 'agentId' || k === 'apiBase')) outbox.resume()
  })
  const applyContactChange = contactChangeHandler(deps)
  callbacks.dispatcher.onBatch({ event: 'change_contact' }, (msgs) => applyContactChange(msgs.map((msg) => ({ changeType: msg.changeType ?? '', fields: msg.fields }))))
  callbacks.dispatcher.on({ event: 'sys_approval_change' }, (msg) => deps.approvals.applyApproval(approvalNumber(msg.fields)))
  callbacks.dispatcher.on({ event: 'template_card_event' }, async (msg) => {
    if (await recordCardEvent(db, msg)) outbox.wake()
  })
  return deps
}
