// TEMP (not committed): a bench environment that stays up for manual profiling.
import { writeFileSync } from 'node:fs'
import { freePort, stopChild } from '../support/app-process'
import { coldQueries, orgPeople, sandboxProcess, scratchDatabase, startSyncedApp } from './search'
const members = Number(process.env.M ?? 100000)
const appPort = await freePort()
const sb = await sandboxProcess(`localhost:${appPort}`, members, Math.round(members / 20))
const org = await orgPeople(sb.url)
writeFileSync('/tmp/search-prof/cold.json', JSON.stringify(coldQueries(org)))
process.once('exit', () => sb.child.kill())
const db = process.env.PG ? await scratchDatabase(process.env.PG) : undefined
const app = await startSyncedApp({ appPort, sandboxUrl: sb.url, databaseUrl: db?.url })
writeFileSync('/tmp/search-prof/env.json', JSON.stringify({ base: app.base, cookie: app.cookie, sync: app.syncSeconds }))
console.log('READY', app.base, app.syncSeconds)
await new Promise<void>((r) => process.once('SIGTERM', () => r()))
await app.stop(); await stopChild(sb.child); await db?.drop()
console.log('STOPPED')
