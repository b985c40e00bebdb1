import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '@portal/bff/config'
import { createDeps } from '@portal/bff/deps'
import { createLogger } from '@portal/bff/log'
import { SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import { getRun } from '@portal/bff/directory/sync-runs'
import { freePort } from '../support/app-process'

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000)
const DEPARTMENTS = Number(process.env.BENCH_DEPARTMENTS ?? 5_000)
const CONCURRENCY = 8

async function sandboxProcess(trustedDomain: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sandbox-server.ts')], {
    env: { ...process.env, PORT: String(port), MEMBERS: String(MEMBERS), DEPARTMENTS: String(DEPARTMENTS), TRUSTED_DOMAIN: trustedDomain },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((r) => child.stdout!.once('data', () => r()))
  return { url: `http://127.0.0.1:${port}`, child }
}

/** The same pages the sync reads, fetched and parsed and thrown away, with the same concurrency. */
async function plainFetch(base: string): Promise<{ ms: number; pages: number }> {
  const t0 = performance.now()
  const { access_token } = (await (await fetch(`${base}/cgi-bin/gettoken?corpid=${SANDBOX_DEFAULTS.corpId}&corpsecret=${SANDBOX_DEFAULTS.secret}`)).json()) as { access_token: string }
  const { department } = (await (await fetch(`${base}/cgi-bin/department/list?access_token=${access_token}`)).json()) as { department: { id: number }[] }
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < department.length) {
        const d = department[next++]!
        await (await fetch(`${base}/cgi-bin/user/list?access_token=${access_token}&department_id=${d.id}`)).json()
      }
    }),
  )
  return { ms: performance.now() - t0, pages: department.length + 2 }
}

export async function directoryBench(_seconds: number) {
  const appPort = await freePort()
  const sb = await sandboxProcess(`localhost:${appPort}`)
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-dir-'))
  const env = {
    PORT: String(appPort),
    PUBLIC_URL: `http://localhost:${appPort}`,
    WECOM_CORP_ID: SANDBOX_DEFAULTS.corpId,
    WECOM_AGENT_ID: SANDBOX_DEFAULTS.agentId,
    WECOM_SECRET: SANDBOX_DEFAULTS.secret,
    WECOM_API_BASE: sb.url,
    WECOM_OAUTH_BASE: sb.url.replace('127.0.0.1', 'localhost'),
    WECOM_LOGIN_BASE: sb.url.replace('127.0.0.1', 'localhost'),
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    DATA_DIR: dataDir,
    SYNC_ENABLE: 'false',
  }
  try {
    // One plain fetch only: a second within the minute would spend WeCom's 10,000/min budget
    // (the sandbox enforces it) and leave the sync waiting out 45009.
    const plain = await plainFetch(sb.url)
    // A pooled keep-alive socket may have been closed by the server meanwhile: try twice.
    const resetLimits = () => {
      const reset = () => fetch(`${sb.url}/sandbox/admin/reset`, { method: 'POST' })
      return reset().catch(reset)
    }
    await resetLimits()
    const loaded = loadConfig(env)
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'))
    let peakRss = 0
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50)
    // Each run in a fresh process state, as a scheduled run ten minutes later would be: one
    // engine's limiter (rightly) makes a second 5,000-call run inside the same minute wait.
    const time = async () => {
      const deps = await createDeps(loaded.config, { log: createLogger({ level: 'warn' }) })
      try {
        // The per-API budget is shared through the database: forget the previous run's calls, as
        // resetLimits made the sandbox forget them.
        await deps.db.query('delete from rate_buckets')
        const t0 = performance.now()
        const r = await deps.sync.start({ kind: 'full', trigger: 'manual' }).done
        if (r === 'busy') throw new Error('busy')
        return { ms: performance.now() - t0, run: (await getRun(deps.db, r.runId))! }
      } finally {
        await deps.db.close()
      }
    }
    const first = await time()
    await resetLimits()
    const again = await time()
    clearInterval(sampler)

    return {
      members: MEMBERS,
      departments: DEPARTMENTS,
      plainFetchMs: Math.round(plain.ms),
      pages: plain.pages,
      firstSync: { ms: Math.round(first.ms), ratio: +(first.ms / plain.ms).toFixed(2), rowsWritten: first.run.counts.rowsWritten, status: first.run.status },
      noChangeSync: { ms: Math.round(again.ms), ratio: +(again.ms / plain.ms).toFixed(2), rowsWritten: again.run.counts.rowsWritten, status: again.run.status },
      peakRssMb: Math.round(peakRss / 1e6),
    }
  } finally {
    sb.child.kill('SIGTERM')
  }
}
