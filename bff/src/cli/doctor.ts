import { doctorContext } from '../admin/doctor/context'
import { runDoctor } from '../admin/doctor/run-doctor'
import { createHealthMarks } from '../admin/marks'
import { createSettingsService } from '../admin/settings/service'
import { applyStoredSettings } from '../admin/settings/startup'
import { cliLanguage, loadConfig } from '../config'
import { openDb, type Db } from '../db'
import { createLogger } from '../log'
import { createSandbox, SANDBOX_CALLBACK, SANDBOX_DEFAULTS } from '../sandbox'
import { formatReport } from './doctor-output'

// `pnpm run doctor [--message <userid>] [--json]`: every doctor check in the terminal, the same as the
// console's. Exit code 0 when nothing failed, 1 otherwise.
const args = process.argv.slice(2)
const messageAt = args.indexOf('--message')
const messageTo = messageAt >= 0 ? args[messageAt + 1] : undefined
const json = args.includes('--json')
const lang = cliLanguage()
const say = (zh: string, en: string) => {
  if (!json) console.log(lang === 'zh' ? zh : en)
}

const loaded = loadConfig()
if (!loaded.ok) {
  console.error(lang === 'zh' ? '配置有问题：' : 'Configuration problems:')
  console.error(loaded.problems.map((p) => `  - ${p}`).join('\n'))
  process.exit(1)
}
const config = loaded.config
// Only errors, and on stderr: the report is the output.
const log = createLogger({ level: 'error', write: (l) => process.stderr.write(`${l}\n`) })

// PGlite is one process's: while the server runs, its database is off limits here.
let db: Db | undefined
const serverUp = !config.database.url && (await fetch(`http://127.0.0.1:${config.port}/healthz`).then((r) => r.ok, () => false))
if (serverUp) {
  say(
    `端口 ${config.port} 上的服务正在运行并占用内置数据库（PGlite）：这里只用环境变量的配置检查企业微信；完整的自检请在管理控制台中运行。`,
    `The server on port ${config.port} is running and holds the embedded database (PGlite): checking WeCom with the env configuration only. Run the doctor from the admin console for the full report.`,
  )
} else {
  db = await openDb(config.database).catch((e: unknown) => {
    say(`无法打开数据库（${e instanceof Error ? e.message : String(e)}）：只用环境变量的配置检查。`, `Cannot open the database (${e instanceof Error ? e.message : String(e)}): checking with the env configuration only.`)
    return undefined
  })
}
if (db) {
  // The console's stored settings count, as they do for the server (a corp stored there means WeCom mode).
  await applyStoredSettings(config, createSettingsService({ config, db, log, now: Date.now })).catch((e: unknown) =>
    say(`无法应用控制台保存的设置：${String(e)}`, `Could not apply the settings saved in the console: ${String(e)}`),
  )
}

let sandboxFetch: typeof fetch | undefined
if (config.mode === 'sandbox') {
  say('沙箱模式：未配置企业微信企业，检查对接进程内的企业微信沙箱。', 'Sandbox mode: no WeCom corp configured; checking against an in-process WeCom sandbox.')
  // The demo corp is deterministic: an in-process sandbox answers exactly as the server's would.
  Object.assign(config.wecom, { corpId: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, secret: SANDBOX_DEFAULTS.secret })
  config.wecom.callbackToken ??= SANDBOX_CALLBACK.token
  config.wecom.callbackAesKey ??= SANDBOX_CALLBACK.encodingAesKey
  const sandbox = createSandbox({ trustedDomain: new URL(config.publicUrl).host, appUrl: config.publicUrl })
  sandboxFetch = async (url, init) => sandbox.app.request(String(url), init)
}

const marks = db ? createHealthMarks({ db, now: Date.now, log }) : undefined
const ctx = doctorContext({ config, db, marks, log, now: Date.now }, { testMessageTo: messageTo, ...(sandboxFetch ? { wecomFetch: sandboxFetch } : {}) })
const report = await runDoctor(ctx, { testMessage: !!messageTo })
if (marks) await marks.read().catch(() => undefined) // lands a 60020's IP before the database closes
console.log(json ? JSON.stringify(report, null, 2) : `\n${formatReport(report, lang)}`)
await db?.close()
process.exit(report.ok ? 0 : 1)
