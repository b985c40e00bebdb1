// TEMP: load one scenario against the env, toggling the profiler hook around it.
import { readFileSync } from 'node:fs'
import { load } from './load'
import { searchPath, STEADY_QUERIES } from './search'
const env = JSON.parse(readFileSync('/tmp/search-prof/env.json', 'utf8'))
const pid = Number(readFileSync('/tmp/search-prof/pid', 'utf8'))
const what = process.argv[2]!, seconds = Number(process.argv[3] ?? 5)
const headers = { cookie: env.cookie }
let requests
let url = env.base
if (what === 'steady') requests = STEADY_QUERIES.map((q) => ({ method: 'GET' as const, path: searchPath(q) }))
else if (what === 'cold') { const cold = JSON.parse(readFileSync('/tmp/search-prof/cold.json', 'utf8')); let i = Number(process.argv[4] ?? 0); requests = [{ method: 'GET' as const, path: '/', setupRequest: (r: object) => ({ ...r, path: searchPath(cold[i++ % cold.length]) }) }] }
else url = `${env.base}/api/${what}`
if (process.argv.includes('warm')) await load(url, { seconds: 2, headers, requests })
if (process.argv.includes('prof')) process.kill(pid, 'SIGUSR2')
const r = await load(url, { seconds, headers, requests })
if (process.argv.includes('prof')) { process.kill(pid, 'SIGUSR2'); await new Promise((r) => setTimeout(r, 1500)) }
console.log(what, JSON.stringify(r))
