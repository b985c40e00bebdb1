import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SANDBOX_CALLBACK, SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import { freshPostgresDatabase } from '@portal/bff/testing/db'
import { freePort, startAppProcess, stopChild } from '../support/app-process'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { helloWorld } from './hello'
import { load, type LoadResult } from './load'
import { processMemoryMb, untilIdle } from './process-stats'
import { rebuildsOfWritten, scrape } from './server-metrics'
import { sandboxToken } from './sandbox-org'
import { sandboxProcess } from './sandbox-process'
import { BENCH_DATABASE_URL } from './stores'

/**
 * Directory search and the hot member endpoints at the size of a large corp, on PGlite and (with
 * BENCH_DATABASE_URL or TEST_DATABASE_URL) on PostgreSQL in a database created and dropped here.
 * A sandbox process serves a generated org; the app, another process, syncs it at start as a
 * server would, then is loaded with 100 connections:
 * - search steady state: ~700 queries cycling (mostly answered from the per-version cache);
 * - search cold: every request a query never asked before (userids, names, 3-letter prefixes);
 * - search while the directory changes: the steady queries while a member is edited in WeCom
 *   every second, each edit a change_contact callback the app applies and rebuilds its view after;
 * - GET /api/me and GET /api/todos (a member with 20 todos);
 * - a restart: the server stopped and started again on the same store, until it is ready (the
 *   directory loaded), as in a deploy or after a crash.
 */
const HOST_KEY = 'bench-host-key-0123456789abcdef'
const letters = 'abcdefghijklmnopqrstuvwxyz'
/** Every two-letter initials pair, plus pinyin, surnames and positions: what people type. */
export const STEADY_QUERIES = [
  ...[...letters].flatMap((a) => [...letters].map((b) => a + b)),
  ...['zhangsan', 'wang', 'liu', 'chen', 'zhao', 'yang', 'huang', 'zhou', 'wu', 'sun', 'ma', 'hu', 'guo'],
  ...['张', '王', '李娜', '刘', '陈', '杨', '工程师', '经理', '销售', '产品', '总监', '专员'],
]

export interface StoreFigures {
  store: 'pglite' | 'postgres'
  members: number
  departments: number
  /** The app's start-up sync of the generated org (context only: the sync bench measures it). */
  syncSeconds: number
  search: LoadResult & { ratio: number }
  coldSearch: LoadResult & { ratio: number; distinctQueries: number; asked: number }
  /**
   * Edits: callbacks the app acknowledged during the measurement (one a second); rebuilds: of the
   * app's directory view meanwhile, and their mean duration under the load (its metrics).
   */
  churnSearch: LoadResult & { ratio: number; edits: number; rebuilds: number; rebuildMs: number }
  me: LoadResult & { ratio: number }
  todos: LoadResult & { ratio: number }
  /** The server's resident memory after all of the above, and its high-water mark (the start-up sync included). */
  memory: { rssMb: number; peakMb: number }
  /** Stopped and started again on the same store: seconds from the start until /readyz answers, memory then. */
  restart: { readySeconds: number; rssMb: number }
}

const ratio = (r: LoadResult, hello: LoadResult) => ({ ...r, ratio: +(r.reqPerSec / hello.reqPerSec).toFixed(3) })

/** One sandbox for every store (the org is generated once); one app per store. */
export async function searchBench(opts: { seconds: number; hello: LoadResult; members: number; departments: number; databaseUrl?: string }): Promise<StoreFigures[]> {
  const appPort = await freePort()
  const sb = await sandboxProcess({ trustedDomain: `localhost:${appPort}`, members: opts.members, departments: opts.departments, callbackUrl: `http://127.0.0.1:${appPort}/wecom/callback` })
  try {
    const org = await orgPeople(sb.url)
    const out: StoreFigures[] = [await measureStore({ ...opts, appPort, sandboxUrl: sb.url, org, databaseUrl: undefined })]
    if (opts.databaseUrl) {
      const db = await freshPostgresDatabase(opts.databaseUrl, 'bench_search')
      try {
        // The sandbox limits user/list to 10,000 calls a minute, as WeCom does: start afresh.
        await fetch(`${sb.url}/sandbox/admin/reset`, { method: 'POST' })
        out.push(await measureStore({ ...opts, appPort, sandboxUrl: sb.url, org, databaseUrl: db.url }))
      } finally {
        await db.drop()
      }
    }
    return out
  } finally {
    await stopChild(sb.child)
  }
}

interface BenchApp {
  base: string
  cookie: string
  /** The app's process, whose CPU per request the measurements report. */
  pid: number
  /** Its Prometheus metrics (METRICS_PORT). */
  metricsUrl: string
  syncSeconds: number
  /** Stops the app and starts it again on the same store; resolves once it is ready. */
  restart: () => Promise<{ readySeconds: number; rssMb: number }>
  stop: () => Promise<void>
}

/** The app as a process on `appPort`, synced to the sandbox at start, 张三 signed in with 20 todos. */
export async function startSyncedApp(o: { appPort: number; sandboxUrl: string; databaseUrl?: string }): Promise<BenchApp> {
  const t0 = performance.now()
  // Its own, kept across the restart; removed by stop().
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-search-'))
  // The server's metrics (its event-loop delays during each load), on a port of their own.
  const metricsPort = await freePort()
  const env = {
    METRICS_PORT: String(metricsPort),
    PORT: String(o.appPort),
    PUBLIC_URL: `http://localhost:${o.appPort}`,
    WECOM_CORP_ID: SANDBOX_DEFAULTS.corpId,
    WECOM_AGENT_ID: SANDBOX_DEFAULTS.agentId,
    WECOM_SECRET: SANDBOX_DEFAULTS.secret,
    WECOM_API_BASE: o.sandboxUrl,
    WECOM_OAUTH_BASE: o.sandboxUrl.replace('127.0.0.1', 'localhost'),
    WECOM_LOGIN_BASE: o.sandboxUrl.replace('127.0.0.1', 'localhost'),
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    ADMIN_USERIDS: 'zhangsan',
    HOST_API_KEYS: `bench:${HOST_KEY}`,
    WECOM_CALLBACK_TOKEN: SANDBOX_CALLBACK.token,
    WECOM_CALLBACK_AES_KEY: SANDBOX_CALLBACK.encodingAesKey,
    MESSAGE_ENABLE: 'false',
    // The start-up sync runs (the store is empty); no scheduled run may land inside a measurement.
    SYNC_CRON: '0 0 3 1 1 ?',
    FORCE_SYNC_CRON: '0 0 4 1 1 ?',
    APPROVAL_SYNC_CRON: '0 0 5 1 1 ?',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
  }
  // BENCH_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, profiles the server under this
  // load: node's own arguments, since Node refuses --cpu-prof in NODE_OPTIONS.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  let app = await startAppProcess(env, { nodeArgs }).catch((e: unknown) => {
    rmSync(dataDir, { recursive: true, force: true })
    throw e
  })
  const stop = async () => {
    await app.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  const restart = async () => {
    await app.stop()
    const started = performance.now()
    // startAppProcess resolves once /readyz answers 200 (asked every 200 ms).
    app = await startAppProcess(env, { nodeArgs })
    return { readySeconds: +((performance.now() - started) / 1000).toFixed(1), rssMb: processMemoryMb(app.pid).rssMb }
  }
  try {
    const base = `http://127.0.0.1:${o.appPort}`
    const b = new TestBrowser(UA.wecomMobile)
    const login = await b.go(`${app.appUrl}/auth/login`, signedInAs('zhangsan'))
    if (login.url.includes('/problem')) throw new Error(`bench sign-in failed: ${login.url}`)
    const cookie = `wp_sid=${b.cookie('localhost', 'wp_sid')!.value}`
    await waitForSync(base, cookie)
    // The read model rebuilt after the sync (the first request after it waits for that).
    for (;;) {
      const tree = (await (await fetch(`${base}/api/directory/departments`, { headers: { cookie } })).json()) as { roots: unknown[] }
      if (tree.roots.length) break
      await new Promise((r) => setTimeout(r, 500))
    }
    const syncSeconds = +((performance.now() - t0) / 1000).toFixed(1)
    await addTodos(base)
    return { base, cookie, pid: app.pid, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, syncSeconds, restart, stop }
  } catch (e) {
    await stop()
    throw new Error(`${(e as Error).message}\napp output:\n${app.output().slice(-4000)}`, { cause: e })
  }
}

async function measureStore(o: {
  seconds: number
  hello: LoadResult
  members: number
  departments: number
  appPort: number
  sandboxUrl: string
  org: { userid: string; name: string }[]
  databaseUrl?: string
}): Promise<StoreFigures> {
  const app = await startSyncedApp(o)
  try {
    const { base, cookie, pid, metricsUrl } = app
    const steady = STEADY_QUERIES.map((q) => ({ method: 'GET' as const, path: searchPath(q) }))
    // The first request after the sync rebuilds the read model; the warm-up fills the caches.
    await load(base, { seconds: 2, headers: { cookie }, requests: steady })
    const search = await load(base, { seconds: o.seconds, headers: { cookie }, requests: steady, pid, metricsUrl })

    // Each measurement starts from a quiet server: at 100k members the rebuild after the last
    // edit of the one before took seconds of CPU, which had been billed to GET /api/me.
    const cold = coldQueries(o.org)
    let asked = 0
    const next = (r: object) => ({ ...r, path: searchPath(cold[asked++ % cold.length]!) })
    await untilIdle(pid)
    const coldSearch = await load(base, { seconds: o.seconds, headers: { cookie }, requests: [{ method: 'GET', path: '/', setupRequest: next }], pid, metricsUrl })
    await untilIdle(pid)
    const rebuilt = rebuildsOfWritten(await scrape(metricsUrl))
    const churnSearch = await whileEditing(o.sandboxUrl, () => load(base, { seconds: o.seconds, headers: { cookie }, requests: steady, pid, metricsUrl }))
    const rebuilds = rebuildsOfWritten(await scrape(metricsUrl))
    rebuilds.count -= rebuilt.count
    rebuilds.seconds -= rebuilt.seconds

    await untilIdle(pid)
    await load(`${base}/api/me`, { seconds: 2, headers: { cookie } })
    const me = await load(`${base}/api/me`, { seconds: o.seconds, headers: { cookie }, pid, metricsUrl })
    await untilIdle(pid)
    await load(`${base}/api/todos`, { seconds: 2, headers: { cookie } })
    const todos = await load(`${base}/api/todos`, { seconds: o.seconds, headers: { cookie }, pid, metricsUrl })
    const memory = processMemoryMb(pid)
    const restart = await app.restart()
    return {
      store: o.databaseUrl ? 'postgres' : 'pglite',
      members: o.members,
      departments: o.departments,
      syncSeconds: app.syncSeconds,
      search: ratio(search, o.hello),
      coldSearch: { ...ratio(coldSearch, o.hello), distinctQueries: cold.length, asked },
      churnSearch: { ...ratio(churnSearch, o.hello), edits: churnSearch.edits, rebuilds: rebuilds.count, rebuildMs: rebuilds.count ? Math.round((rebuilds.seconds * 1000) / rebuilds.count) : 0 },
      me: ratio(me, o.hello),
      todos: ratio(todos, o.hello),
      memory,
      restart,
    }
  } finally {
    await app.stop()
  }
}

/**
 * Runs `during` while 李四 is edited in the sandbox once a second: the sandbox delivers WeCom's
 * change_contact callback for each edit to the app, which applies it and rebuilds its directory
 * view. `edits`: how many of those callbacks the app acknowledged.
 */
async function whileEditing<T extends object>(sandboxUrl: string, during: () => Promise<T>): Promise<T & { edits: number }> {
  let stop = false
  let edits = 0
  const editing = (async () => {
    for (let i = 1; !stop; i++) {
      const r = await fetch(`${sandboxUrl}/sandbox/admin/org/users/lisi`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ position: `工程师 ${i}` }) })
      const { callback } = (await r.json()) as { callback?: { status?: string } | null }
      if (callback?.status === 'delivered') edits++
      await new Promise((res) => setTimeout(res, 1_000))
    }
  })()
  try {
    return { ...(await during()), edits }
  } finally {
    stop = true
    await editing
  }
}

export const searchPath = (q: string) => `/api/directory/search?q=${encodeURIComponent(q)}`

/**
 * Queries no earlier request asked, in a fixed shuffled order: each member's userid and name,
 * and 3- and 4-letter slices of userids (pinyin), minus the steady set. When a run asks more than
 * there are, it starts over (the figure then shows `asked` above `distinct`).
 */
export function coldQueries(org: { userid: string; name: string }[]): string[] {
  const seen = new Set(STEADY_QUERIES.map((q) => q.toLowerCase()))
  const out: string[] = []
  const add = (q: string) => {
    const k = q.toLowerCase()
    if (seen.has(k)) return
    seen.add(k)
    out.push(q)
  }
  for (const m of org) add(m.userid.slice(0, 3))
  for (const m of org) add(m.name)
  for (const m of org) add(m.userid)
  // More at small sizes, where the above run out within seconds: other slices of userids.
  for (const at of [1, 2, 3]) for (const m of org) if (m.userid.length >= at + 3) add(m.userid.slice(at, at + 3))
  for (const m of org) if (m.userid.length > 4) add(m.userid.slice(0, 4))
  let s = 42
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

async function waitForSync(base: string, cookie: string): Promise<void> {
  const deadline = Date.now() + 600_000
  for (;;) {
    if (Date.now() > deadline) throw new Error('start-up sync did not finish in 10 minutes')
    await new Promise((r) => setTimeout(r, 500))
    // A sync at 100k keeps the server's event loop busy: a reused keep-alive socket may be reset.
    const r = await fetch(`${base}/api/admin/sync/runs?limit=1`, { headers: { cookie, connection: 'close' } }).catch(() => undefined)
    if (!r) continue
    if (!r.ok) throw new Error(`sync runs: ${r.status} ${await r.text()}`)
    const run = ((await r.json()) as { items: { status: string; errors: unknown[] }[] }).items[0]
    if (run?.status === 'succeeded') return
    if (run && run.status !== 'running') throw new Error(`start-up sync ended ${run.status}: ${JSON.stringify(run.errors)}`)
  }
}

/** 20 todos for 张三, half from a requester (the list then looks names up). */
async function addTodos(base: string): Promise<void> {
  const headers = { authorization: `Bearer ${HOST_KEY}`, 'content-type': 'application/json' }
  for (let i = 0; i < 20; i++) {
    const body = { externalId: `bench-${i}`, assignee: 'zhangsan', title: `审批 ${i}`, link: `https://oa.example.com/x/${i}`, notify: false, ...(i % 2 ? { requester: 'lisi' } : {}) }
    const r = await fetch(`${base}/api/host/todos`, { method: 'POST', headers, body: JSON.stringify(body) })
    if (r.status >= 300) throw new Error(`todo not created: ${r.status} ${await r.text()}`)
  }
}

/** Everyone in the generated org (one user/simplelist call with fetch_child). */
export async function orgPeople(sandboxUrl: string): Promise<{ userid: string; name: string }[]> {
  const access_token = await sandboxToken(sandboxUrl)
  const { userlist } = (await (await fetch(`${sandboxUrl}/cgi-bin/user/simplelist?access_token=${access_token}&department_id=1&fetch_child=1`)).json()) as { userlist: { userid: string; name: string }[] }
  return userlist.map((u) => ({ userid: u.userid, name: u.name }))
}

export function formatSearchFigures(figures: StoreFigures[]): string {
  const f = (r: LoadResult & { ratio: number }) => `${Math.round(r.reqPerSec).toLocaleString('en-US').padStart(7)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(4)} ms  max ${String(r.max).padStart(4)} ms${r.stallMs !== undefined ? `  stall ${String(r.stallMs).padStart(4)} ms` : ''}  ratio ${r.ratio.toFixed(2)}${r.cpuUsPerReq !== undefined ? `  cpu ${String(r.cpuUsPerReq).padStart(4)} µs/req` : ''}${r.non2xx || r.errors ? `  (non-2xx ${r.non2xx}, errors ${r.errors})` : ''}`
  return figures
    .map((x) =>
      [
        `  ${x.store}, ${x.members.toLocaleString('en-US')} members / ${x.departments.toLocaleString('en-US')} departments (start-up sync ${x.syncSeconds}s)`,
        `    search, 700 queries cycling  ${f(x.search)}   (goal ≥ 0.5, p99 ≤ 20 ms)`,
        `    search, cold queries         ${f(x.coldSearch)}   (goal p99 ≤ 50 ms; ${x.coldSearch.asked.toLocaleString('en-US')} asked of ${x.coldSearch.distinctQueries.toLocaleString('en-US')} distinct)`,
        `    search, an edit a second     ${f(x.churnSearch)}   (${x.churnSearch.edits} change_contact callbacks meanwhile; ${x.churnSearch.rebuilds} rebuilds, ${x.churnSearch.rebuildMs} ms each)`,
        `    GET /api/me                  ${f(x.me)}   (goal ≥ 0.7, p99 ≤ 20 ms)`,
        `    GET /api/todos (20 todos)    ${f(x.todos)}   (goal ≥ 0.7, p99 ≤ 20 ms)`,
        `    server memory after these    RSS ${x.memory.rssMb} MiB, peak ${x.memory.peakMb} MiB (the start-up sync included)`,
        `    restart on the same store    ready in ${x.restart.readySeconds} s (directory loaded), RSS then ${x.restart.rssMb} MiB`,
      ].join('\n'),
    )
    .join('\n')
}

/** BENCH_MEMBERS may list sizes: `1000,10000,100000` (default 100,000). */
export const searchBenchSizes = () => (process.env.BENCH_MEMBERS ?? '1000,10000,100000').split(',').map(Number)

// `pnpm --filter @portal/test bench:search`: only this part; BENCH_SECONDS per measurement.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 8)
  const hello = await helloWorld(seconds)
  console.log(`Hono hello-world ${Math.round(hello.reqPerSec).toLocaleString('en-US')} req/s  p99 ${hello.p99} ms  cpu ${hello.cpuUsPerReq} µs/req`)
  for (const members of searchBenchSizes()) {
    const departments = Math.max(1, Math.round(members / 20))
    console.log(formatSearchFigures(await searchBench({ seconds, hello, members, departments, databaseUrl: BENCH_DATABASE_URL })))
  }
}
