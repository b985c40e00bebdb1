import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createMetrics } from '@portal/bff/metrics'
import { serveMetrics } from '@portal/bff/metrics/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'
import { sandboxAdmin } from '../support/sync'

const HOST_KEY = 'flow-metrics-host-key-0123456789abcdef'

let stack: Stack
let server: Server
let metricsUrl: string
beforeAll(async () => {
  stack = await startStack({ env: { HOST_API_KEYS: `oa:${HOST_KEY}` } })
  server = await serveMetrics(stack.deps.metrics, { port: 0, host: '127.0.0.1', log: stack.deps.log })
  metricsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  await stack.close()
})

const scrape = async () => (await fetch(metricsUrl)).text()
/** The value of one series, exactly as written (labels in prom-client's order), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('metrics: not on the public surface', () => {
  it('the app port has no metrics, whatever the path or token', async () => {
    for (const path of ['/metrics', '/api/metrics', '/metrics?format=prometheus']) {
      const res = await fetch(`${stack.appUrl}${path}`, { headers: { authorization: 'Bearer anything' } })
      expect(await res.text(), path).not.toContain('portal_http_requests_total')
    }
  })
})

describe('metrics after a sign-in, syncs and a WeCom errcode', () => {
  let text: string
  let rowsWritten: number
  beforeAll(async () => {
    // A sign-in, and one whose state was never issued.
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
    expect(url).toBe(`${stack.appUrl}/`)
    expect((await b.request(`${stack.appUrl}/auth/callback?code=whatever&state=forged`)).status).toBe(302)
    // A sync that succeeds, then one that WeCom refuses (60020: our IP is not trusted).
    const ok = await stack.deps.sync.start({ kind: 'full', trigger: 'manual' }).done
    expect(ok).toMatchObject({ status: 'succeeded' })
    const [run] = await stack.deps.db.query<{ counts: { rowsWritten: number } }>('select counts from sync_runs where id = $1', [(ok as { runId: number }).runId])
    rowsWritten = run!.counts.rowsWritten
    await sandboxAdmin(stack, 'POST', 'settings', { ipAllowlist: [] })
    try {
      expect(await stack.deps.sync.start({ kind: 'full', trigger: 'manual' }).done).toMatchObject({ status: 'failed' })
    } finally {
      await sandboxAdmin(stack, 'POST', 'settings', { ipAllowlist: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] })
    }
    // Two members' pages: one route pattern.
    for (const userid of ['lisi', 'zhouba']) expect((await b.request(`${stack.appUrl}/api/directory/members/${userid}`)).status).toBe(200)
    text = await scrape()
  })

  it('counts sign-ins by outcome', () => {
    expect(sample(text, 'portal_sign_ins_total{outcome="ok"}')).toBe(1)
    expect(sample(text, 'portal_sign_ins_total{outcome="state_invalid"}')).toBe(1)
  })

  it('counts sync runs by status, with rows written and duration', () => {
    expect(rowsWritten).toBeGreaterThan(0)
    expect(sample(text, 'portal_sync_runs_total{kind="full",status="succeeded"}')).toBe(1)
    expect(sample(text, 'portal_sync_runs_total{kind="full",status="failed"}')).toBe(1)
    expect(sample(text, 'portal_sync_rows_written_total{kind="full"}')).toBe(rowsWritten)
    expect(sample(text, 'portal_sync_run_duration_seconds_count{kind="full",status="succeeded"}')).toBe(1)
    // From sync_runs: what every instance sees, and what "failed twice" alerts on.
    expect(sample(text, 'portal_sync_failed_in_a_row')).toBe(1)
  })

  it('counts WeCom calls by API and errcode, and token refreshes', () => {
    // A run starts with agent/get (the visible range): that is the call WeCom refused.
    expect(sample(text, 'portal_wecom_calls_total{api="/cgi-bin/agent/get",errcode="60020"}')).toBe(1)
    expect(sample(text, 'portal_wecom_calls_total{api="/cgi-bin/department/list",errcode="0"}')).toBe(1)
    expect(sample(text, 'portal_wecom_calls_total{api="/cgi-bin/auth/getuserinfo",errcode="0"}')).toBe(1)
    expect(sample(text, 'portal_wecom_calls_total{api="/cgi-bin/gettoken",errcode="0"}')).toBe(1)
    expect(sample(text, 'portal_wecom_token_refreshes_total{kind="access_token",outcome="ok"}')).toBe(1)
    expect(sample(text, 'portal_wecom_call_duration_seconds_count{api="/cgi-bin/auth/getuserinfo"}')).toBe(1)
  })

  it('counts HTTP requests by route pattern and status, never by raw path', () => {
    expect(sample(text, 'portal_http_requests_total{method="GET",route="/auth/callback",status="302"}')).toBe(2)
    expect(sample(text, 'portal_http_requests_total{method="GET",route="/api/directory/members/:userid",status="200"}')).toBe(2)
    expect(sample(text, 'portal_http_request_duration_seconds_count{method="GET",route="/api/directory/members/:userid"}')).toBe(2)
    expect(text).not.toContain('lisi')
    expect(text).not.toContain('forged')
  })

  it("times the directory view's rebuilds by what they read, and counts its members", async () => {
    // The first view read every member.
    expect(sample(text, 'portal_directory_rebuild_duration_seconds_count{read="all"}')).toBe(1)
    expect(sample(text, 'portal_directory_rebuild_duration_seconds_count{read="written"}')).toBeUndefined()
    const [{ n }] = (await stack.deps.db.query<{ n: number }>('select count(*)::int as n from members')) as [{ n: number }]
    expect(n).toBeGreaterThan(200)
    expect(sample(text, 'portal_directory_members')).toBe(n)
    // One member edited in WeCom and synced: the next view reads only what the sync wrote.
    await sandboxAdmin(stack, 'PATCH', 'org/users/lisi', { position: '架构师' })
    expect(await stack.deps.sync.start({ kind: 'full', trigger: 'manual' }).done).toMatchObject({ status: 'succeeded' })
    await stack.deps.readModel.current()
    const after = await scrape()
    expect(sample(after, 'portal_directory_rebuild_duration_seconds_count{read="all"}')).toBe(1)
    expect(sample(after, 'portal_directory_rebuild_duration_seconds_count{read="written"}')).toBe(1)
    expect(sample(after, 'portal_directory_members')).toBe(n)
  })

  it('reports the database: queues empty, the pool idle', () => {
    expect(sample(text, 'portal_metrics_db_up')).toBe(1)
    expect(sample(text, 'portal_outbox_pending')).toBe(0)
    expect(sample(text, 'portal_outbox_oldest_pending_age_seconds')).toBe(0)
    expect(sample(text, 'portal_callback_inbox_pending')).toBe(0)
    expect(sample(text, 'portal_db_pool_waiting')).toBe(0)
  })
})

describe('queue gauges, read from the database at scrape time', () => {
  it('outbox depth and the age of its oldest pending message', async () => {
    // No sender: the message stays pending.
    await stack.deps.outbox.stop()
    const res = await fetch(`${stack.appUrl}/api/host/todos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HOST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId: 'm-1', assignee: 'lisi', title: '审核采购合同', link: 'https://oa.example.com/c/1' }),
    })
    expect(res.status).toBeLessThan(300)
    // Eleven minutes on, an "outbox older than 10 min" alert fires on this gauge.
    const later = createMetrics({ db: stack.deps.db, now: () => Date.now() + 11 * 60_000 })
    const text = await later.text()
    expect(sample(text, 'portal_outbox_pending')).toBe(1)
    expect(sample(text, 'portal_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(660)
    expect(sample(await scrape(), 'portal_outbox_pending')).toBe(1)
  })

  it('callback inbox lag: the age of the oldest callback not applied yet', async () => {
    // Nobody applies the inbox until the worker starts again.
    await stack.deps.callbacks.worker.stop()
    await sandboxAdmin(stack, 'POST', 'org/users', { userid: 'metrics01', name: '钱多多', department: [2] })
    const later = createMetrics({ db: stack.deps.db, now: () => Date.now() + 90_000 })
    const text = await later.text()
    expect(sample(text, 'portal_callback_inbox_pending')).toBe(1)
    expect(sample(text, 'portal_callback_inbox_lag_seconds')).toBeGreaterThanOrEqual(90)
    stack.deps.callbacks.worker.start()
    await stack.deps.callbacks.worker.drain()
    expect(sample(await scrape(), 'portal_callback_inbox_pending')).toBe(0)
    expect(sample(await scrape(), 'portal_callback_inbox_lag_seconds')).toBe(0)
  })

  it('a parked callback (given up) is no lag: it is counted apart, and a lag alert does not fire for ever', async () => {
    // As the worker leaves an event that failed for good, two days ago.
    await stack.deps.db.query(
      `insert into callback_events (hash, received_at, msg_type, event, plaintext, attempts, last_error) values ('parked-1', now() - interval '2 days', 'event', 'change_contact', '<xml/>', 5, 'user/get: 60111')`,
    )
    try {
      const text = await scrape()
      expect(sample(text, 'portal_callback_inbox_parked')).toBe(1)
      expect(sample(text, 'portal_callback_inbox_pending')).toBe(0)
      expect(sample(text, 'portal_callback_inbox_lag_seconds')).toBe(0)
    } finally {
      await stack.deps.db.query(`delete from callback_events where hash = 'parked-1'`)
    }
    expect(sample(await scrape(), 'portal_callback_inbox_parked')).toBe(0)
  })
})

describe('retention', () => {
  it('counts the rows the daily run deleted, per table', async () => {
    await stack.deps.db.query(
      `insert into sessions (id_hash, userid, corp_id, entry_context, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
       values ('metrics-old', 'lisi', 'ww', 'browser', now() - interval '200 days', now() - interval '200 days', now() - interval '200 days', now() - interval '193 days')`,
    )
    expect(await stack.deps.retention.run()).toMatchObject({ sessions: 1 })
    expect(sample(await scrape(), 'portal_retention_deleted_rows_total{table="sessions"}')).toBe(1)
  })
})
