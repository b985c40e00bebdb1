import { loadConfig } from '@portal/bff/config'
import type { Db, Queryable, Tx } from '@portal/bff/db'
import { createDeps } from '@portal/bff/deps'
import { getRun } from '@portal/bff/directory/sync-runs'
import { createLogger } from '@portal/bff/log'
import { SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import { processMemoryMb } from './process-stats'

/** MiB, as every memory figure of the bench (process-stats.ts). */
const mb = (bytes: number) => Math.round(bytes / 2 ** 20)

/**
 * One measured step of the directory bench, in a process of its own so that its peak RSS is the
 * sync's alone (the kernel's high-water mark, VmHWM): `MODE=plain` fetches the pages a sync reads
 * and throws them away; `MODE=sync` runs one sync (`KIND`, default full) as the server would;
 * `MODE=init` only creates the store (PGlite's initdb is a start-up cost, not the sync's).
 * Env: API_BASE (the sandbox), DATABASE_URL or DATA_DIR; SQL_STATS=1 (and SQL_TRACE=1) also prints to stderr, per
 * kind of statement, how many ran, the rows they returned and the time they took (a profile of the
 * store's share, which a CPU profile of PGlite's WebAssembly does not name). Prints one JSON line.
 */
const CONCURRENCY = 8
const env = process.env
const apiBase = env.API_BASE!

/** The same pages the sync reads, fetched and parsed and thrown away, with the same concurrency. */
async function plainFetch(): Promise<{ pages: number }> {
  const { access_token } = (await (await fetch(`${apiBase}/cgi-bin/gettoken?corpid=${SANDBOX_DEFAULTS.corpId}&corpsecret=${SANDBOX_DEFAULTS.secret}`)).json()) as { access_token: string }
  const { department } = (await (await fetch(`${apiBase}/cgi-bin/department/list?access_token=${access_token}`)).json()) as { department: { id: number }[] }
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < department.length) {
        const d = department[next++]!
        await (await fetch(`${apiBase}/cgi-bin/user/list?access_token=${access_token}&department_id=${d.id}`)).json()
      }
    }),
  )
  return { pages: department.length + 2 }
}

async function syncOnce(init: boolean) {
  const loaded = loadConfig({
    WECOM_CORP_ID: SANDBOX_DEFAULTS.corpId,
    WECOM_AGENT_ID: SANDBOX_DEFAULTS.agentId,
    WECOM_SECRET: SANDBOX_DEFAULTS.secret,
    WECOM_API_BASE: apiBase,
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    SYNC_ENABLE: 'false',
    ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : { DATA_DIR: env.DATA_DIR }),
  })
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
  const deps = await createDeps(loaded.config, { log: createLogger({ level: env.BENCH_LOG_LEVEL === 'info' ? 'info' : 'warn' }) })
  try {
    if (init) return { ms: 0 }
    // The sandbox forgot its per-minute counts before this step (resetLimits); the app's shared
    // WeCom budget forgets the previous step's calls too, as a run ten minutes later would find
    // it. Otherwise the second run waits out the first one's minute, which is WeCom's limit, not
    // the sync's cost.
    await deps.db.query('delete from rate_buckets')
    const stats = env.SQL_STATS === '1' ? countStatements(deps.db) : undefined
    const rssBeforeMb = mb(process.memoryUsage().rss)
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    // The measured window on the monotonic clock a --cpu-prof profile uses (µs), to cut the profile to it.
    const windowUs = [Number(process.hrtime.bigint() / 1000n)]
    const r = await deps.sync.start({ kind: env.KIND === 'force' ? 'force' : 'full', trigger: 'manual' }).done
    const ms = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    windowUs.push(Number(process.hrtime.bigint() / 1000n))
    stats?.print()
    if (r === 'busy') throw new Error('busy')
    const run = (await getRun(deps.db, r.runId))!
    return { ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000), windowUs, rssBeforeMb, status: run.status, rowsWritten: run.counts.rowsWritten, membersSeen: run.counts.membersSeen, errors: run.errors }
  } finally {
    await deps.db.close()
  }
}

/** When the step's process started: SQL_TRACE's offsets count from it. */
const T0 = performance.now()

/**
 * Wraps `db` (and its transactions) to count statements by their first words; `print` writes the
 * table to stderr. SQL_TRACE=1 also writes a line per statement as it ends: when it was sent (ms
 * since the process started), how long it took, its first words. On PGlite's one connection that
 * shows what waited behind what.
 */
function countStatements(db: Db) {
  const kinds = new Map<string, { n: number; rows: number; ms: number }>()
  const timed = <T extends object>(q: Queryable['query']) =>
    async (sql: string, params?: unknown[]): Promise<T[]> => {
      const t = performance.now()
      const rows = await q<T>(sql, params)
      const ms = performance.now() - t
      const kind = sql.replace(/\s+/g, ' ').trim().slice(0, 70)
      if (env.SQL_TRACE === '1') process.stderr.write(`TRACE ${Math.round(t - T0)} ${Math.round(ms)} ${kind.slice(0, 50)}\n`)
      const k = kinds.get(kind) ?? { n: 0, rows: 0, ms: 0 }
      k.n += 1
      k.rows += rows.length
      k.ms += ms
      kinds.set(kind, k)
      return rows
    }
  const query = db.query.bind(db)
  const transaction = db.transaction.bind(db)
  db.query = timed(query) as Db['query']
  db.transaction = (fn) => transaction((tx) => fn({ ...tx, query: timed(tx.query.bind(tx)) as Tx['query'] }))
  return {
    print() {
      for (const [kind, k] of [...kinds].sort((a, b) => b[1].ms - a[1].ms)) {
        process.stderr.write(`${String(Math.round(k.ms)).padStart(7)} ms ${String(k.n).padStart(6)}× ${String(k.rows).padStart(8)} rows  ${kind}\n`)
      }
    },
  }
}

/** The most this process has held in RAM (Linux); elsewhere the RSS now. */
const peakRssMb = () => processMemoryMb(process.pid).peakMb || mb(process.memoryUsage().rss)

// Where the memory goes (JS heap vs. buffers outside it: PGlite's WebAssembly memory, sockets).
const peak = { heapMb: 0, externalMb: 0 }
const sampler = setInterval(() => {
  const m = process.memoryUsage()
  peak.heapMb = Math.max(peak.heapMb, mb(m.heapUsed))
  peak.externalMb = Math.max(peak.externalMb, mb(m.external))
}, 100)
const t0 = performance.now()
const cpu0 = process.cpuUsage()
const plainCpu = () => {
  const c = process.cpuUsage(cpu0)
  return Math.round((c.user + c.system) / 1000)
}
const plainStartUs = Number(process.hrtime.bigint() / 1000n)
const result =
  env.MODE === 'plain'
    ? { ...(await plainFetch()), ms: performance.now() - t0, cpuMs: plainCpu(), windowUs: [plainStartUs, Number(process.hrtime.bigint() / 1000n)] }
    : await syncOnce(env.MODE === 'init')
if (env.SQL_STATS === '1' && 'windowUs' in result) process.stderr.write(`${env.MODE} pid ${process.pid} window µs ${result.windowUs?.join(' ')}\n`)
clearInterval(sampler)
console.log(JSON.stringify({ ...result, ms: Math.round(result.ms), peakRssMb: peakRssMb(), peakHeapMb: peak.heapMb, peakExternalMb: peak.externalMb }))
process.exit(0)
