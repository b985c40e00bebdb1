import { pathToFileURL } from 'node:url'
import { SANDBOX_HOST_KEY } from '@portal/bff/config'
import { startAppProcess } from '../support/app-process'
import { activeUserids } from './sandbox-org'
import { eachStore } from './stores'

const auth = { authorization: `Bearer ${SANDBOX_HOST_KEY}`, 'content-type': 'application/json' }
const SEND = '/cgi-bin/message/send'

export interface BroadcastResult {
  members: number
  /** message/send calls the sandbox answered for it. */
  calls: number
  seconds: number
  perSec: number
}

interface Stats {
  calls: Record<string, number>
  messagesDelivered: number
}

/**
 * A host notification to every member of a generated org (`members`, in requests of 1,000: the
 * most one names), WeCom answering each message/send after `latencyMs`: timed from the first
 * request until the sandbox has delivered it to all of them.
 */
export async function broadcastBench(o: { members: number; latencyMs: number; env?: Record<string, string> }): Promise<BroadcastResult> {
  // BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server (as in todos.ts).
  const app = await startAppProcess(
    { SANDBOX_MEMBERS: String(o.members), SANDBOX_DEPARTMENTS: String(Math.max(1, Math.round(o.members / 20))), ...o.env },
    { nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) },
  )
  try {
    const base = app.appUrl.replace('localhost', '127.0.0.1')
    const stats = async () => (await (await fetch(`${app.sandboxUrl}/sandbox/admin/stats`)).json()) as Stats
    const userids = await activeUserids(app.sandboxUrl, o.members)
    const chunks = Array.from({ length: Math.ceil(userids.length / 1000) }, (_, i) => userids.slice(i * 1000, i * 1000 + 1000))
    await fetch(`${app.sandboxUrl}/sandbox/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: SEND, latencyMs: o.latencyMs }) })
    const before = await stats()
    const post = (i: number) =>
      fetch(`${base}/api/host/notifications`, { method: 'POST', headers: { ...auth, 'idempotency-key': `broadcast-${i}` }, body: JSON.stringify({ userids: chunks[i], title: `全员通知 ${i}`, description: '压测' }) })
    // The first is refused (400, nothing queued) until the start-up sync knows every member.
    let t0 = performance.now()
    for (const deadline = Date.now() + 120_000; ; ) {
      t0 = performance.now()
      const res = await post(0)
      if (res.ok) break
      if (Date.now() > deadline) throw new Error(`the app never accepted the broadcast: ${res.status} ${await res.text()}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    for (let i = 1; i < chunks.length; i++) if (!(await post(i)).ok) throw new Error(`broadcast request ${i} refused`)
    let now = before
    while ((now = await stats()).messagesDelivered - before.messagesDelivered < userids.length && performance.now() - t0 < 600_000) await new Promise((r) => setTimeout(r, 100))
    const seconds = (performance.now() - t0) / 1000
    const delivered = now.messagesDelivered - before.messagesDelivered
    return { members: delivered, calls: (now.calls[SEND] ?? 0) - (before.calls[SEND] ?? 0), seconds: +seconds.toFixed(2), perSec: Math.round(delivered / seconds) }
  } finally {
    await app.stop()
  }
}

/** The broadcast on each store (PGlite; PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set). */
export function broadcastBenchStores(o: { members: number; latencyMs: number }) {
  return eachStore((store) => broadcastBench({ ...o, env: store.env }))
}

// `npx tsx bench/broadcast.ts` (from test/; BENCH_MEMBERS, BENCH_LATENCY_MS).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const members = Number(process.env.BENCH_MEMBERS ?? 10_000)
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50)
  console.log(JSON.stringify(await broadcastBenchStores({ members, latencyMs })))
}
