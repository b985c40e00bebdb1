import autocannon from 'autocannon'
import { SANDBOX_HOST_KEY } from '@portal/bff/config'
import { startAppProcess } from '../support/app-process'

const auth = { authorization: `Bearer ${SANDBOX_HOST_KEY}`, 'content-type': 'application/json' }

/** Host-API todo creation (each a new todo + queued notification) and outbox delivery rate. */
export async function todosBench(seconds: number) {
  const app = await startAppProcess()
  try {
    const base = app.appUrl.replace('localhost', '127.0.0.1')
    // Wait for the start-up directory sync: assignees must be known members.
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`${base}/api/host/todos`, { method: 'POST', headers: auth, body: JSON.stringify({ externalId: 'warm', assignee: 'lisi', title: '预热', link: 'https://oa.example.com/x', notify: false }) })
      if (r.status < 300) break
      await new Promise((r) => setTimeout(r, 200))
    }
    let n = 0
    const create = await autocannon({
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
    // Outbox: queue notifications to every member at once, then time their delivery.
    // WeCom's side of the count: message/send calls the sandbox answered.
    const sends = async () => ((await (await fetch(`${app.sandboxUrl}/sandbox/admin/stats`)).json()) as { calls: Record<string, number> }).calls['/cgi-bin/message/send'] ?? 0
    const before = await sends()
    // Spread over the org's active members: WeCom (and so the worker) allows one member only
    // 30 messages a minute, so 1,000 messages to 4 people would measure that limit, not the outbox.
    const { SANDBOX_DEFAULTS } = await import('@portal/bff/sandbox')
    const { access_token } = (await (await fetch(`${app.sandboxUrl}/cgi-bin/gettoken?corpid=${SANDBOX_DEFAULTS.corpId}&corpsecret=${SANDBOX_DEFAULTS.secret}`)).json()) as { access_token: string }
    const { userlist } = (await (await fetch(`${app.sandboxUrl}/cgi-bin/user/list?access_token=${access_token}&department_id=1&fetch_child=1`)).json()) as { userlist: { userid: string; status: number }[] }
    const userids = userlist.filter((u) => u.status === 1).map((u) => u.userid)
    const rounds = Math.ceil(1000 / userids.length)
    const t0 = performance.now()
    for (let i = 0; i < rounds; i++) {
      await fetch(`${base}/api/host/notifications`, { method: 'POST', headers: { ...auth, 'idempotency-key': `bench-${i}` }, body: JSON.stringify({ userids, title: `通知 ${i}`, description: '压测' }) })
    }
    const total = rounds * userids.length
    while ((await sends()) - before < total && performance.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 100))
    const sent = (await sends()) - before
    const ms = performance.now() - t0
    return {
      create: { reqPerSec: create.requests.average, p99: create.latency.p99, non2xx: create.non2xx, errors: create.errors },
      outbox: { messages: sent, seconds: +(ms / 1000).toFixed(2), perSec: Math.round(sent / (ms / 1000)) },
    }
  } finally {
    await app.stop()
  }
}
