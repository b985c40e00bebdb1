import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, startAppProcess } from '../support/app-process'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { firstLoadSizes } from './bundle-size'
import { callbacksBench, formatCallbacks } from './callbacks'
import { directoryBench } from './directory'
import { load } from './load'
import { coldSignIns } from './sign-ins'
import { todosBench } from './todos'

/**
 * `pnpm bench`: every figure is a ratio against a baseline measured in this same run, so numbers
 * from different machines compare. Results go to stdout and test/output/bench.json.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 1000)
const results: Record<string, unknown> = { node: process.version, date: new Date().toISOString(), seconds: SECONDS }

async function helloWorld() {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'hello-server.ts')], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((r) => child.stdout!.once('data', () => r()))
  try {
    await load(`http://127.0.0.1:${port}/`, { seconds: 2 }) // warm-up
    return await load(`http://127.0.0.1:${port}/`, { seconds: SECONDS })
  } finally {
    child.kill('SIGTERM')
  }
}

async function apiMe() {
  const app = await startAppProcess()
  try {
    const b = new TestBrowser(UA.wecomMobile)
    await b.go(`${app.appUrl}/auth/login`, signedInAs('zhangsan'))
    const cookie = `wp_sid=${b.cookie('localhost', 'wp_sid')!.value}`
    const url = `${app.appUrl.replace('localhost', '127.0.0.1')}/api/me`
    await load(url, { seconds: 2, headers: { cookie } })
    return await load(url, { seconds: SECONDS, headers: { cookie } })
  } finally {
    await app.stop()
  }
}

const bundle = firstLoadSizes()
results.firstLoadGzipBytes = bundle
const hello = await helloWorld()
const me = await apiMe()
const cold = await coldSignIns(SIGN_INS)
const coldBusy = await coldSignIns(SIGN_INS, { busyCore: true })
results.helloWorld = hello
results.apiMe = { ...me, ratioToHelloWorld: +(me.reqPerSec / hello.reqPerSec).toFixed(3) }
results.coldSignIns = cold
results.coldSignInsOneCoreBusy = coldBusy
const todos = await todosBench(SECONDS)
results.todos = todos
const dir = await directoryBench(SECONDS)
results.directory = dir
const benchDbUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
const callbacks = [await callbacksBench(), ...(benchDbUrl ? [await callbacksBench({ databaseUrl: benchDbUrl })] : [])]
results.callbacks = callbacks

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
console.log(`
Benchmarks (${SECONDS}s each, 100 connections, servers in their own processes)
  Hono hello-world          ${fmt(hello.reqPerSec)} req/s   p99 ${hello.p99} ms
  GET /api/me               ${fmt(me.reqPerSec)} req/s   p99 ${me.p99} ms   ratio ${(me.reqPerSec / hello.reqPerSec).toFixed(2)}  (errors ${me.errors}, non-2xx ${me.non2xx})
  ${fmt(SIGN_INS)} cold sign-ins       ${cold.succeeded}/${cold.signIns} in ${cold.seconds}s   gettoken calls ${cold.gettokenCalls}   WeCom connections ≤ ${cold.peakApiConnections}
    one core kept busy      ${coldBusy.succeeded}/${coldBusy.signIns} in ${coldBusy.seconds}s   WeCom connections ≤ ${coldBusy.peakApiConnections}${coldBusy.failures.length ? `   failures: ${JSON.stringify(coldBusy.failures.slice(0, 3))}` : ''}
  Host API: create todo     ${fmt(todos.create.reqPerSec)} req/s   p99 ${todos.create.p99} ms   ratio ${(todos.create.reqPerSec / hello.reqPerSec).toFixed(2)}  (non-2xx ${todos.create.non2xx})
  Outbox → message/send     ${todos.outbox.messages} messages in ${todos.outbox.seconds}s = ${todos.outbox.perSec}/s   ratio ${(todos.outbox.perSec / hello.reqPerSec).toFixed(3)}
  Directory, ${dir.members.toLocaleString('en-US')} members / ${dir.departments.toLocaleString('en-US')} departments (plain fetch of the same ${dir.pages} pages: ${(dir.plainFetchMs / 1000).toFixed(1)}s)
    first sync              ${(dir.firstSync.ms / 1000).toFixed(1)}s   ratio ${dir.firstSync.ratio}   rows ${dir.firstSync.rowsWritten}   peak RSS ${dir.peakRssMb} MB
    no-change re-sync       ${(dir.noChangeSync.ms / 1000).toFixed(1)}s   ratio ${dir.noChangeSync.ratio}   rows ${dir.noChangeSync.rowsWritten}
    search (700 queries)     ${fmt(dir.search.reqPerSec)} req/s   p99 ${dir.search.p99} ms   ratio ${(dir.search.reqPerSec / hello.reqPerSec).toFixed(2)}  (non-2xx ${dir.search.non2xx})
  H5 first load (gzip JS+CSS, budget 100 KB): ${Object.entries(bundle).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KB`).join(', ')}
`)
for (const c of callbacks) console.log(formatCallbacks(c))
mkdirSync(join(import.meta.dirname, '../output'), { recursive: true })
writeFileSync(join(import.meta.dirname, '../output/bench.json'), JSON.stringify(results, null, 2))
