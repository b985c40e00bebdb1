import { doctorContext } from '../admin/doctor/context'
import { runDoctor } from '../admin/doctor/run-doctor'
import { createHealthMarks } from '../admin/marks'
import { settingsOf } from '../admin/settings/runtime'
import { bootstrap } from '../bootstrap'
import { cliLanguage } from '../config'
import { openDb } from '../db'
import { createLogger } from '../log'
import { createSandbox } from '../sandbox'
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

// The console's stored settings count, as they do for the server (a corp stored there means WeCom mode).
const { config, log, db, settings } = await bootstrap({
  configProblems: lang === 'zh' ? '配置有问题：' : 'Configuration problems:',
  // Only errors, and on stderr: the report is the output.
  logger: () => createLogger({ level: 'error', write: (l) => process.stderr.write(`${l}\n`) }),
  async openDb(config) {
    // PGlite is one process's: while the server runs, its database is off limits here.
    const serverUp = !config.database.url && (await fetch(`http://127.0.0.1:${config.port}/healthz`).then((r) => r.ok, () => false))
    if (serverUp) {
      say(
        `端口 ${config.port} 上的服务正在运行并占用内置数据库（PGlite）：这里只用环境变量的配置检查企业微信；完整的自检请在管理控制台中运行。`,
        `The server on port ${config.port} is running and holds the embedded database (PGlite): checking WeCom with the env configuration only. Run the doctor from the admin console for the full report.`,
      )
      return undefined
    }
    return openDb(config.database).catch((e: unknown) => {
      say(`无法打开数据库（${e instanceof Error ? e.message : String(e)}）：只用环境变量的配置检查。`, `Cannot open the database (${e instanceof Error ? e.message : String(e)}): checking with the env configuration only.`)
      return undefined
    })
  },
  settingsFailed: (e) => say(`无法应用控制台保存的设置：${String(e)}`, `Could not apply the settings saved in the console: ${String(e)}`),
})

let sandboxFetch: typeof fetch | undefined
if (config.mode === 'sandbox') {
  say('沙箱模式：未配置企业微信企业，检查对接进程内的企业微信沙箱。', 'Sandbox mode: no WeCom corp configured; checking against an in-process WeCom sandbox.')
  // The demo corp is deterministic (bootstrap pointed the config at it): an in-process sandbox answers exactly as the server's would.
  const sandbox = createSandbox({ trustedDomain: new URL(config.publicUrl).host, appUrl: config.publicUrl })
  sandboxFetch = async (url, init) => sandbox.app.request(String(url), init)
}

const marks = db ? createHealthMarks({ db, now: Date.now, log }) : undefined
const ctx = doctorContext({ config, settings: settings ?? settingsOf(config), db, marks, log, now: Date.now }, { testMessageTo: messageTo, ...(sandboxFetch ? { wecomFetch: sandboxFetch } : {}) })
const report = await runDoctor(ctx, { testMessage: !!messageTo })
if (marks) await marks.read().catch(() => undefined) // lands a 60020's IP before the database closes
console.log(json ? JSON.stringify(report, null, 2) : `\n${formatReport(report, lang)}`)
await db?.close()
process.exit(report.ok ? 0 : 1)
