import { bootstrap } from '../bootstrap'
import { cliLanguage } from '../config'
import { openDb } from '../db'
import { createDeps } from '../deps'
import { getRun, markConfirmed } from '../directory/sync-runs'
import { createLogger } from '../log'
import { createSandbox } from '../sandbox'
import { createTokenCache, createWeComClient } from '../wecom'
import { progressLine, runReport, SAY } from './sync-output'

// `pnpm sync [--force] [--confirm <held run id>]`: one directory sync in the terminal, with live
// progress. Exit code 0 succeeded, 2 held by the mass-change guard, 1 failed.
const args = process.argv.slice(2)
const force = args.includes('--force')
const confirmAt = args.indexOf('--confirm')
const confirmId = confirmAt >= 0 ? Number(args[confirmAt + 1]) : undefined

// In the LANG language, as `pnpm run doctor` (zh for zh_*, else English).
const lang = cliLanguage()

// Settings saved in the admin console count here too: a corp stored there means WeCom mode.
const booted = await bootstrap({
  configProblems: SAY.configProblems[lang],
  logger: () => createLogger({ level: 'warn' }),
  async openDb(config) {
    if (!config.database.url && (await fetch(`http://127.0.0.1:${config.port}/healthz`).then((r) => r.ok, () => false))) {
      console.error(SAY.serverHoldsDb(config.port)[lang])
      process.exit(1)
    }
    return openDb(config.database)
  },
})
const { config, log } = booted
const db = booted.db!
const settings = booted.settings!
let wecom
if (config.mode === 'sandbox') {
  // The demo corp is deterministic: an in-process sandbox answers exactly as the server's would.
  const sandbox = createSandbox({ trustedDomain: new URL(config.publicUrl).host })
  wecom = createWeComClient({
    // The corp in effect (a console-saved API base included), as the server would use it.
    apiBase: settings.get('apiBase'),
    corpId: settings.get('corpId'),
    secret: settings.get('secret'),
    proxyUrl: config.wecom.proxyUrl,
    tokens: createTokenCache(),
    fetch: async (url, init) => sandbox.app.request(String(url), init),
  })
}
const deps = await createDeps(config, { db, log, settings, ...(wecom ? { wecom } : {}) })
let allowDisableUpTo: number | undefined
if (confirmId !== undefined) {
  const held = Number.isInteger(confirmId) ? await getRun(deps.db, confirmId) : null
  if (!held?.hold || held.status !== 'held') {
    console.error(SAY.notHeld(String(args[confirmAt + 1]))[lang])
    process.exit(1)
  }
  allowDisableUpTo = held.hold.wouldDisable
}
const tty = process.stdout.isTTY
const started = deps.sync.start({
  kind: force ? 'force' : 'full',
  trigger: 'cli',
  allowDisableUpTo,
  onProgress: (p) => {
    if (tty) process.stdout.write(`\r\x1b[K${progressLine(p, lang)}`)
  },
})
// The held run now reads "confirmed by run N", as after a confirmation in the console.
if (confirmId !== undefined) void started.runId.then((id) => markConfirmed(deps.db, confirmId, id)).catch(() => {})
const result = await started.done.catch((e: Error) => (console.error(e.message), 'busy' as const))
if (tty) process.stdout.write('\n')
if (result === 'busy') {
  console.error(SAY.busy[lang])
  process.exit(1)
}
const run = (await getRun(deps.db, result.runId))!
console.log(runReport(run, lang))
await deps.db.close()
process.exit(run.status === 'succeeded' ? 0 : run.status === 'held' ? 2 : 1)
