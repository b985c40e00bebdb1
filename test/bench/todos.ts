import { pathToFileURL } from 'node:url'
import autocannon from 'autocannon'
import { SANDBOX_HOST_KEY } from '@portal/bff/config'
import { freshPostgresDatabase } from '@portal/bff/testing/db'
import { startAppProcess, type AppProcess } from '../support/app-process'
import { processCpuMs } from './process-stats'
import { activeUserids } from './sandbox-org'

const auth = { authorization: `Bearer ${SANDBOX_HOST_KEY}`, 'content-type': 'application/json' }

/** PostgreSQL for the bench's store-bound figures, when one is given. */
export const benchDatabaseUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined

export interface CreateTodoResult {
  reqPerSec: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  /** The server's CPU time per request answered (its own process; PostgreSQL's not counted). */
  serverCpuMsPerReq: number
}

/** Waits for the start-up directory sync: assignees must be known members. */
async function warmUp(base: string) {
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${base}/api/host/todos`, { method: 'POST', headers: auth, body: JSON.stringify({ externalId: 'warm', assignee: 'lisi', title: '预热', link: 'https://oa.example.com/x', notify: false }) })
    if (r.status < 300) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('the app never accepted a host todo (directory not synced?)')
}

/** Host-API todo creation at 100 connections, each request a new todo, against a running app. */
async function createTodos(base: string, seconds: number, pid: number): Promise<CreateTodoResult> {
  let n = 0
  const cpu0 = processCpuMs(pid)
  const r = await autocannon({
    url: base,
    connections: 100,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/host/todos',
        headers: auth,
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ externalId: `bench-${n++}`, assignee: 'lisi', title: '压测待办', link: 'https://oa.example.com/x', notify: false }) }),
      },
    ],
  })
  const cpuMsPerReq = +((processCpuMs(pid) - cpu0) / Math.max(1, r.requests.total)).toFixed(3)
  return { reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts, serverCpuMsPerReq: cpuMsPerReq }
}

/**
 * Create-todo on PostgreSQL: the app on a database of its own, created for the run and dropped
 * after it. `env` is passed to the app (e.g. DATABASE_POOL_MAX).
 */
export async function createTodoBenchPostgres(seconds: number, url: string, env: Record<string, string> = {}): Promise<CreateTodoResult> {
  const db = await freshPostgresDatabase(url, 'bench_todos')
  try {
    return await createTodoBench(seconds, { ...env, DATABASE_URL: db.url })
  } finally {
    await db.drop()
  }
}

/** Create-todo on the app's default store (PGlite in a temporary directory) unless `env` says otherwise. */
export async function createTodoBench(seconds: number, env: Record<string, string> = {}): Promise<CreateTodoResult> {
  // e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server under this
  // load (node refuses --cpu-prof in NODE_OPTIONS).
  const app = await startAppProcess(env, { nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) })
  try {
    const base = app.appUrl.replace('localhost', '127.0.0.1')
    await warmUp(base)
    return await createTodos(base, seconds, app.pid)
  } finally {
    await app.stop()
  }
}

/**
 * Outbox delivery rate, one message per call: 1,000 new host todos, each a card to its assignee,
 * timed until WeCom (the sandbox) has delivered them all. (A message to many members goes in one
 * call: broadcast.ts measures that.)
 */
async function outboxBench(app: AppProcess) {
  const base = app.appUrl.replace('localhost', '127.0.0.1')
  // WeCom's side of the count: messages the sandbox delivered.
  const delivered = async () => ((await (await fetch(`${app.sandboxUrl}/sandbox/admin/stats`)).json()) as { messagesDelivered: number }).messagesDelivered
  const before = await delivered()
  // Spread over the org's active members: WeCom (and so the worker) allows one member only
  // 30 messages a minute, so 1,000 messages to 4 people would measure that limit, not the outbox.
  const userids = await activeUserids(app.sandboxUrl)
  const total = 1000
  const t0 = performance.now()
  // 50 requests in flight, so that the queue fills faster than it drains and the figure is the outbox's.
  let next = 0
  const create = async () => {
    for (let i = next++; i < total; i = next++) {
      const res = await fetch(`${base}/api/host/todos`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ externalId: `outbox-${i}`, assignee: userids[i % userids.length], title: `待办 ${i}`, link: 'https://oa.example.com/x' }),
      })
      if (!res.ok) throw new Error(`host todo ${i}: ${res.status} ${await res.text()}`)
    }
  }
  await Promise.all(Array.from({ length: 50 }, create))
  while ((await delivered()) - before < total && performance.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 100))
  const sent = (await delivered()) - before
  const ms = performance.now() - t0
  return { messages: sent, seconds: +(ms / 1000).toFixed(2), perSec: Math.round(sent / (ms / 1000)) }
}

/**
 * Host-API todo creation (each a new todo) on PGlite, and on PostgreSQL when BENCH_DATABASE_URL
 * or TEST_DATABASE_URL is set; then the outbox delivery rate (PGlite).
 */
export async function todosBench(seconds: number) {
  const app = await startAppProcess()
  let create: CreateTodoResult
  let outbox: Awaited<ReturnType<typeof outboxBench>>
  try {
    const base = app.appUrl.replace('localhost', '127.0.0.1')
    await warmUp(base)
    create = await createTodos(base, seconds, app.pid)
    outbox = await outboxBench(app)
  } finally {
    await app.stop()
  }
  const createPostgres = benchDatabaseUrl ? await createTodoBenchPostgres(seconds, benchDatabaseUrl) : undefined
  return { create, outbox, ...(createPostgres ? { createPostgres } : {}) }
}

// `pnpm --filter @portal/test bench:todos` (BENCH_SECONDS=8 by default): only create-todo, on
// PGlite and, with BENCH_DATABASE_URL or TEST_DATABASE_URL, on PostgreSQL.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 8)
  console.log(JSON.stringify({ pglite: await createTodoBench(seconds) }))
  if (benchDatabaseUrl) console.log(JSON.stringify({ postgres: await createTodoBenchPostgres(seconds, benchDatabaseUrl) }))
}
