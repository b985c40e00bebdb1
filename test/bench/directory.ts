import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { freshPostgresDatabase } from '@portal/bff/testing/db'
import { compiledScript } from './compiled-worker'
import { sandboxProcess } from './sandbox-process'
import { BENCH_DATABASE_URL, storeNames } from './stores'

/** Org sizes the sync is measured at; BENCH_MEMBERS=1000,10000 restricts them. */
const SIZES = (process.env.BENCH_MEMBERS ?? '1000,10000,100000').split(',').map(Number)
/** Departments per size: BENCH_DEPARTMENTS, else one per 20 members (100k → 5,000). */
const departmentsFor = (members: number) => Number(process.env.BENCH_DEPARTMENTS ?? Math.max(24, Math.round(members / 20)))

interface WorkerResult {
  ms: number
  /** CPU time of the process over the measured part: steadier than wall time on a shared machine. */
  cpuMs: number
  peakRssMb: number
  rssBeforeMb?: number
  status?: string
  rowsWritten?: number
  membersSeen?: number
  errors?: unknown[]
}

/**
 * How a step's process runs sync-worker.ts: compiled and with plain node when APP_COMPILED=1 (as
 * `pnpm bench` sets: the server's own figures are taken that way), else through tsx, whose loader
 * adds ≈ 35 MB and its compile time to every step.
 */
let workerEntry: string[] = ['--import', 'tsx', join(import.meta.dirname, 'sync-worker.ts')]
let removeCompiled = () => {}

/** One step (plain fetch or one sync) in a fresh process: see sync-worker.ts. */
function worker(env: Record<string, string>): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    // BENCH_NODE_ARGS: flags Node refuses in NODE_OPTIONS, such as --cpu-prof --cpu-prof-dir=DIR or --heap-prof.
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []
    const child = spawn(process.execPath, [...nodeArgs, ...workerEntry], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...env,
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
        // SQL_STATS=1: each sync step prints its statements to stderr (SQL_TRACE=1: one by one); BENCH_LOG_LEVEL=info: the sync's own log.
        ...(process.env.SQL_STATS ? { SQL_STATS: process.env.SQL_STATS, SQL_TRACE: process.env.SQL_TRACE ?? '' } : {}),
        ...(process.env.BENCH_LOG_LEVEL ? { BENCH_LOG_LEVEL: process.env.BENCH_LOG_LEVEL } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout!.on('data', (d) => (out += d))
    child.once('error', reject)
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? ''
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`sync worker exited with ${code}: ${out}`))
      else resolve(JSON.parse(line) as WorkerResult)
    })
  })
}

/** The sandbox forgets its per-minute call counts (WeCom's 10,000/min per API), so each step starts fresh. */
function resetLimits(sandboxUrl: string) {
  // A pooled keep-alive socket may have been closed by the server meanwhile: try twice.
  const reset = () => fetch(`${sandboxUrl}/sandbox/admin/reset`, { method: 'POST' })
  return reset().catch(reset)
}

interface SyncStep {
  ms: number
  /** Wall time over the plain fetch's: the goal. */
  ratio: number
  cpuMs: number
  cpuRatio: number
  rowsWritten: number
  status: string
  peakRssMb: number
  rssBeforeMb: number
}

export interface SyncFigures {
  store: 'PGlite' | 'PostgreSQL'
  members: number
  departments: number
  pages: number
  plainFetchMs: number
  plainFetchCpuMs: number
  firstSync: SyncStep
  noChangeSync: SyncStep
}

/** Plain fetch, first sync into an empty store, no-change re-sync: each in its own process. */
async function measureSync(sandboxUrl: string, store: SyncFigures['store'], storeEnv: Record<string, string>, members: number, departments: number): Promise<SyncFigures> {
  let plain!: WorkerResult
  // The first pass warms the sandbox up (its JIT), as the syncs after it will find it.
  for (let i = 0; i < 2; i++) {
    await resetLimits(sandboxUrl)
    plain = await worker({ MODE: 'plain', API_BASE: sandboxUrl })
  }
  const figures = async () => {
    await resetLimits(sandboxUrl)
    const r = await worker({ MODE: 'sync', API_BASE: sandboxUrl, ...storeEnv })
    if (r.status !== 'succeeded') throw new Error(`bench sync ${r.status}: ${JSON.stringify(r.errors)}`)
    return {
      ms: r.ms,
      ratio: +(r.ms / plain.ms).toFixed(2),
      cpuMs: r.cpuMs,
      cpuRatio: +(r.cpuMs / plain.cpuMs).toFixed(2),
      rowsWritten: r.rowsWritten!,
      status: r.status,
      peakRssMb: r.peakRssMb,
      rssBeforeMb: r.rssBeforeMb!,
    }
  }
  await worker({ MODE: 'init', API_BASE: sandboxUrl, ...storeEnv })
  const firstSync = await figures()
  const noChangeSync = await figures()
  return { store, members, departments, pages: (plain as WorkerResult & { pages: number }).pages, plainFetchMs: plain.ms, plainFetchCpuMs: plain.cpuMs, firstSync, noChangeSync }
}

/**
 * The directory sync at each size in SIZES, on PGlite and (BENCH_DATABASE_URL or
 * TEST_DATABASE_URL) on a PostgreSQL database created for it and dropped after.
 */
export async function syncBench(log: (f: SyncFigures) => void = () => {}): Promise<SyncFigures[]> {
  const out: SyncFigures[] = []
  if (process.env.APP_COMPILED === '1') {
    const compiled = await compiledScript('sync-worker.ts')
    workerEntry = [compiled.file]
    removeCompiled = compiled.remove
  }
  try {
    return await syncSizes(out, log)
  } finally {
    removeCompiled()
  }
}

async function syncSizes(out: SyncFigures[], log: (f: SyncFigures) => void): Promise<SyncFigures[]> {
  for (const members of SIZES) {
    const departments = departmentsFor(members)
    const sb = await sandboxProcess({ trustedDomain: 'localhost:3000', members, departments })
    try {
      const stores = storeNames()
      if (stores.includes('PGlite')) {
        const dataDir = mkdtempSync(join(tmpdir(), 'bench-sync-'))
        try {
          out.push(await measureSync(sb.url, 'PGlite', { DATA_DIR: dataDir }, members, departments))
          log(out.at(-1)!)
        } finally {
          rmSync(dataDir, { recursive: true, force: true })
        }
      }
      if (stores.includes('PostgreSQL')) {
        const db = await freshPostgresDatabase(BENCH_DATABASE_URL!, 'bench_sync')
        try {
          out.push(await measureSync(sb.url, 'PostgreSQL', { DATABASE_URL: db.url }, members, departments))
          log(out.at(-1)!)
        } finally {
          await db.drop()
        }
      }
    } finally {
      sb.child.kill('SIGTERM')
    }
  }
  return out
}

export function formatSync(f: SyncFigures): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`
  return (
    `  ${f.store.padEnd(10)} ${f.members.toLocaleString('en-US').padStart(7)} members / ${String(f.departments).padStart(5)} depts: plain fetch ${s(f.plainFetchMs)} · ` +
    `first sync ${s(f.firstSync.ms)} (${f.firstSync.ratio}×, CPU ${f.firstSync.cpuRatio}×, ${f.firstSync.rowsWritten} rows, peak RSS ${f.firstSync.peakRssMb} MiB) · ` +
    `no-change ${s(f.noChangeSync.ms)} (${f.noChangeSync.ratio}×, CPU ${f.noChangeSync.cpuRatio}×, ${f.noChangeSync.rowsWritten} rows, peak RSS ${f.noChangeSync.peakRssMb} MiB)`
  )
}

// `pnpm --filter @portal/test bench:sync`: only the sync figures (BENCH_MEMBERS=1000,10000 restricts).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await syncBench((f) => console.log(formatSync(f)))
  console.log(JSON.stringify(figures))
}
