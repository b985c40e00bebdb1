import { createAdaptorServer } from '@hono/node-server'
import type { Hono } from 'hono'
import { settingsOf } from './admin/settings/runtime'
import { createApp, createStartingApp } from './app'
import type { AppEnv } from './app-env'
import { bootstrap } from './bootstrap'
import { SANDBOX_HOST_KEY } from './config'
import { hostDisplayName } from './config/host-names'
import { scheduleQuartz } from './config/quartz'
import { openDbRetrying } from './db/open-retrying'
import { createDeps } from './deps'
import { messageOf } from './health'
import { createLogger } from './log'
import { turnBatchedWriter } from './log-writer'
import { serveMetrics } from './metrics/server'
import { createSandbox, type Sandbox } from './sandbox'
import { createGracefulStop, type StopSteps } from './shutdown'
import type { Server } from 'node:http'

// Boots (bootstrap.ts), builds deps, serves. Nothing else lives here.

/**
 * Node's default accept queue (511) overflows when a thousand people open the app at once, and
 * each overflow costs the client a SYN retransmit (1 s, then 3, then 7). Linux caps the value at
 * net.core.somaxconn.
 */
const LISTEN_BACKLOG = 4096

let sandbox: Sandbox | undefined
// What a stop must finish; nothing while the database is not open yet.
let stopSteps: StopSteps | undefined
let graceful!: ReturnType<typeof createGracefulStop>
let starting = 'opening the database and applying migrations'
let app: Hono<AppEnv> | undefined

const booted = await bootstrap({
  configProblems: 'Configuration problems:',
  // Env's level (or the default) until the stored settings are applied: then the one in effect (below).
  logger: (config) => createLogger({ level: settingsOf(config).get('logLevel'), write: turnBatchedWriter().write }),
  async openDb(config, log) {
    graceful = createGracefulStop({ timeoutMs: config.shutdownMs, log, steps: () => stopSteps })
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => graceful.onSignal(signal))
    // The port opens first: /healthz answers at once, /readyz says what the start is waiting for.
    app = createStartingApp(config, log, () => graceful.stopping() ?? starting)
    graceful.track(await listen((req, env) => app!.fetch(req, env), config.port, 'app'))
    const db = await openDbRetrying(
      { ...config.database, onConnectionError: (e) => log.warn('database connection lost', { err: e }) },
      (e, { attempt, retryInMs }) => {
        starting = `database not ready: ${messageOf(e)} (attempt ${attempt}, next in ${retryInMs / 1000} s)`
        log.warn('database not ready at start', { attempt, retryInMs, err: e })
      },
    )
    stopSteps = { work: async () => {}, close: () => db.close() }
    starting = 'applying stored settings'
    return db
  },
})
const { config, log } = booted
const db = booted.db!
const settings = booted.settings!
// A level saved in the console applies from the start (and follows saves: deps.ts).
log.setLevel(settings.get('logLevel'))
if (config.mode === 'wecom' && !config.settingsKey.persistent && !config.locked.secret) {
  log.warn('the corp comes from the admin console but neither SETTINGS_KEY nor SESSION_SECRET is set: its secrets cannot be decrypted after a restart')
}

if (config.mode === 'sandbox') {
  // No corp configured: stand up the local WeCom sandbox (bootstrap pointed the app at its corp).
  sandbox = createSandbox({
    trustedDomain: new URL(config.publicUrl).host,
    appUrl: config.publicUrl,
    org: config.sandbox.org,
    callback: { url: `${config.publicUrl}/wecom/callback`, token: settings.get('callbackToken')!, encodingAesKey: settings.get('callbackAesKey')! },
  })
  // Not drained: the app's own background work may still call it while stopping.
  await listen(sandbox.app.fetch, config.sandbox.port, 'sandbox')
}

starting = 'building the services'
const deps = await createDeps(config, { db, log, settings })
// Returns the run, so that the schedule skips a tick while one is still going (croner's protect).
const catchUpApprovals = async () => {
  try {
    await deps.approvals.catchUp()
  } catch (e) {
    deps.log.warn('approval catch-up failed (does the app have approval API permission?)', { err: e })
  }
}
let approvalJob = scheduleQuartz(settings.get('approvalCron'), catchUpApprovals)
stopSteps = {
  // A running sync stops reading and records itself failed (nothing merged); both workers
  // finish what they hold (sends in flight are recorded); then the db closes.
  work: () => {
    deps.settings.stop()
    approvalJob.stop()
    return Promise.allSettled([deps.sync.stop(), deps.callbacks.worker.stop(), deps.outbox.stop(), deps.retention.stop()])
  },
  close: () => deps.db.close(),
}
app = createApp(deps, { stopping: graceful.stopping })
// Off the public port: see serveMetrics. Closed with the other servers.
if (config.metrics.port !== undefined) graceful.track(await serveMetrics(deps.metrics, { port: config.metrics.port, host: config.metrics.host, log, processMetrics: true }))
deps.callbacks.worker.start()
deps.outbox.start()
deps.retention.start()
// Follows saves made on other instances; changes apply through the onChange listeners.
deps.settings.start()
// Build the in-memory directory now rather than on the first request (/readyz waits for it).
void deps.readModel.current().catch((e) => deps.log.warn('directory not loaded at start', { err: e }))
if (config.sync.enabled) await deps.sync.schedule({ cron: settings.get('syncCron'), forceCron: settings.get('forceSyncCron') })
deps.settings.onChange((changed) => {
  if (!changed.includes('approvalCron')) return
  approvalJob.stop()
  approvalJob = scheduleQuartz(settings.get('approvalCron'), catchUpApprovals)
})
void catchUpApprovals()
printBanner()

function listen(fetch: (req: Request, env: unknown) => Response | Promise<Response>, port: number, name: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Without TLS or HTTP/2 options this is a plain node:http server.
    const server = createAdaptorServer({ fetch }) as Server
    server.listen({ port, backlog: LISTEN_BACKLOG }, () => resolve(server))
    server.once('error', (e: NodeJS.ErrnoException) => {
      console.error(e.code === 'EADDRINUSE' ? `The ${name} port ${port} is in use; set ${name === 'app' ? 'PORT' : 'SANDBOX_PORT'}.` : e.message)
      reject(e)
      process.exit(1)
    })
  })
}

function printBanner(): void {
  const lines = [
    '',
    `  WeCom portal is running (${config.mode === 'sandbox' ? 'sandbox mode: no real WeCom corp configured' : `corp ${settings.get('corpId')}`})`,
    `  App (H5 + BFF):  ${config.publicUrl}/`,
    `  Database:        ${deps.db.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.database.dataDir}`}`,
  ]
  if (sandbox) {
    lines.push(
      `  WeCom sandbox:   ${config.sandbox.url}/`,
      `  Sandbox corp:    CorpID ${settings.get('corpId')} · AgentID ${settings.get('agentId')} · Secret ${settings.get('secret')}`,
      `  Callbacks:       URL ${config.publicUrl}/wecom/callback · Token ${settings.get('callbackToken')} · EncodingAESKey ${settings.get('callbackAesKey')}`,
      // The demo key is public (README); a configured HOST_API_KEYS is never printed.
      ...config.hostApiKeys.filter((k) => k.key === SANDBOX_HOST_KEY).map((k) => `  Host API:        Authorization: Bearer ${k.key} (host "${k.name}", shown as "${hostDisplayName(settings.get('hostDisplayNames'), k.name) ?? k.name}") · ${config.publicUrl}/api/host/openapi.json`),
      `  Open it as the WeCom client would (silent sign-in): ${config.sandbox.url}/sandbox/client?userid=zhangsan&next=${encodeURIComponent(`${config.publicUrl}/`)}`,
      '  Or open the app in a browser and "scan" on the sandbox QR page as any of:',
      ...sandbox.demoUsers().slice(0, 8).map((u) => `    ${u.userid.padEnd(12)} ${u.name}  ${u.position} · ${u.department}${u.note ? `  (${u.note})` : ''}`),
    )
  }
  console.log(lines.join('\n') + '\n')
}
