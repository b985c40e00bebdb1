import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { firstLoadSizes } from './bundle-size'
import { formatSync, syncBench } from './directory'
import { helloWorld } from './hello'
import { formatSearchFigures, searchBench, searchBenchSizes } from './search'
import { BENCH_DATABASE_URL } from './stores'
import { callbacksBench, formatCallbacks } from './callbacks'
import { coldSignIns } from './sign-ins'
import { firstPaint } from './first-paint'
import { idleRss } from './idle-rss'
import { todosBench } from './todos'
import { broadcastBenchStores } from './broadcast'

/**
 * `pnpm bench`: every figure is a ratio against a baseline measured in this same run, so numbers
 * from different machines compare. Results go to stdout and test/output/bench.json.
 */
// Measure what production runs: `node dist/server.js` (`pnpm bench` builds it first).
process.env.APP_COMPILED = '1'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 1000)
const results: Record<string, unknown> = { node: process.version, date: new Date().toISOString(), seconds: SECONDS }

const paint = await firstPaint()
results.firstPaint = paint
const idle = await idleRss()
results.idleRss = idle
const bundle = firstLoadSizes()
results.firstLoadGzipBytes = bundle
const hello = await helloWorld(SECONDS)
const cold = await coldSignIns(SIGN_INS)
const coldBusy = await coldSignIns(SIGN_INS, { busyCore: true })
results.helloWorld = hello
results.coldSignIns = cold
results.coldSignInsOneCoreBusy = coldBusy
const todos = await todosBench(SECONDS)
results.todos = todos
// A host notification to 10,000 members, WeCom answering each call in 50 ms (test/bench/broadcast.ts).
const broadcast = await broadcastBenchStores({ members: 10_000, latencyMs: 50 })
results.broadcast = broadcast
const sync = await syncBench()
results.sync = sync
// Directory search and the hot member endpoints, per org size and store (test/bench/search.ts).
const search = []
for (const members of searchBenchSizes()) search.push(...(await searchBench({ seconds: SECONDS, hello, members, departments: Math.max(1, Math.round(members / 20)), databaseUrl: BENCH_DATABASE_URL })))
results.search = search
const callbacks = [await callbacksBench(), ...(BENCH_DATABASE_URL ? [await callbacksBench({ databaseUrl: BENCH_DATABASE_URL })] : [])]
results.callbacks = callbacks

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
console.log(`
Benchmarks (${SECONDS}s each, 100 connections, servers in their own processes)
  Hono hello-world          ${fmt(hello.reqPerSec)} req/s   p99 ${hello.p99} ms${hello.cpuUsPerReq === undefined ? '' : `   cpu ${hello.cpuUsPerReq} µs/req`}
  ${fmt(SIGN_INS)} cold sign-ins       ${cold.succeeded}/${cold.signIns} in ${cold.seconds}s   gettoken calls ${cold.gettokenCalls}   WeCom connections ≤ ${cold.peakApiConnections}
    one core kept busy      ${coldBusy.succeeded}/${coldBusy.signIns} in ${coldBusy.seconds}s   WeCom connections ≤ ${coldBusy.peakApiConnections}${coldBusy.failures.length ? `   failures: ${JSON.stringify(coldBusy.failures.slice(0, 3))}` : ''}
  Host API: create todo     ${fmt(todos.create.reqPerSec)} req/s   p99 ${todos.create.p99} ms   ratio ${(todos.create.reqPerSec / hello.reqPerSec).toFixed(2)}  (non-2xx ${todos.create.non2xx})${todos.createPostgres ? `\n    on PostgreSQL           ${fmt(todos.createPostgres.reqPerSec)} req/s   p99 ${todos.createPostgres.p99} ms   (non-2xx ${todos.createPostgres.non2xx})` : ''}
  Outbox → message/send     ${todos.outbox.messages} todo cards in ${todos.outbox.seconds}s = ${todos.outbox.perSec}/s   ratio ${(todos.outbox.perSec / hello.reqPerSec).toFixed(3)}
  Broadcast, 10k org, WeCom at 50 ms a call: ${Object.entries(broadcast).map(([store, r]) => `${store} ${fmt(r.members)} members in ${r.seconds}s (${r.calls} calls)`).join('   ')}
  Directory sync (plain fetch of the same pages = 1×; goals: first ≤ 2× PGlite / 1.3× PostgreSQL, no-change ≤ 1.1×, peak RSS ≤ 500 / 300 MB)
${sync.map(formatSync).join('\n')}
  Directory search, GET /api/me, GET /api/todos (100 connections)
${formatSearchFigures(search)}
  H5 on a slow phone (4× CPU, Fast 4G), median of ${Object.values(paint)[0]?.runs.length} cold loads: ${Object.entries(paint).map(([p, r]) => `${p} FCP ${r.fcpMs} ms, content ${r.contentMs} ms`).join(' · ')}   (goal FCP ≤ 1,000 ms)
  Idle RSS of the server   ${Object.entries(idle).map(([store, r]) => `${store} ${r.settledMb} MiB after ${r.seconds}s (peak ${r.peakMb})`).join('   ')}   (goal ≤ 350 MB PGlite, ≤ 150 MB PostgreSQL; 1 MiB = 1.05 MB)
  H5 first load (gzip JS+CSS, budget 100 KB): ${Object.entries(bundle).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KB`).join(', ')}
`)
for (const c of callbacks) console.log(formatCallbacks(c))
mkdirSync(join(import.meta.dirname, '../output'), { recursive: true })
writeFileSync(join(import.meta.dirname, '../output/bench.json'), JSON.stringify(results, null, 2))
