import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Db } from '../db'
import type { DirectoryRebuild } from '../directory/read-model'
import type { WeComCall } from '../wecom'
import { createDbGauges } from './db-gauges'
import { createHttpSeries } from './http-series'

/** Sign-in outcomes: `ok`, `restarted` (a spent code or WeCom hiccup, retried once silently), or the problem page's reason. */
export type SignInOutcome = 'ok' | 'restarted' | 'state_invalid' | 'login_cancelled' | 'code_invalid' | 'not_member' | 'member_inactive' | 'no_role' | 'wecom_error' | 'server_error'

export interface SyncRunObservation {
  kind: string
  status: 'succeeded' | 'failed' | 'held'
  seconds: number
  rowsWritten: number
}

export interface Metrics {
  /** This instance's registry: never prom-client's global one, so apps built side by side (tests) keep apart. */
  registry: Registry
  httpRequest(method: string, route: string, status: number, seconds: number): void
  signIn(outcome: SignInOutcome): void
  /** The WeCom client's observer (WeComClientOptions.onCall). */
  wecomCall(call: WeComCall): void
  syncRun(run: SyncRunObservation): void
  /** Rows the daily retention run deleted from `table`. */
  rowsPruned(table: string, rows: number): void
  /** The read model's observer: a rebuild of this instance's directory view. */
  directoryRebuild(r: DirectoryRebuild): void
  /** The exposition text, with the database gauges collected now (bounded). */
  text(): Promise<string>
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
/** The calls that fetch an access token or a JS-SDK ticket (https://developer.work.weixin.qq.com/document/path/91039, /90506). */
const REFRESHES: Record<string, string> = {
  '/cgi-bin/gettoken': 'access_token',
  '/cgi-bin/get_jsapi_ticket': 'jsapi_ticket_corp',
  '/cgi-bin/ticket/get': 'jsapi_ticket_agent',
}

/**
 * Every series the portal exports (README "Metrics" lists them). Labels are bounded: routes are
 * patterns (`/api/directory/members/:userid`), API paths are the fixed ones the code calls,
 * errcodes are WeCom's, outcomes are the enums above.
 */
export function createMetrics(d: { db: Db; now: () => number; collectTimeoutMs?: number }): Metrics {
  const registry = new Registry()
  const r = [registry]
  const http = createHttpSeries({
    registers: r,
    requests: { name: 'portal_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status.' },
    duration: {
      name: 'portal_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route pattern.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    },
  })
  const signIns = new Counter({ name: 'portal_sign_ins_total', help: 'Sign-ins (/auth/callback) by outcome.', labelNames: ['outcome'], registers: r })
  const wecomCalls = new Counter({
    name: 'portal_wecom_calls_total',
    help: 'Calls to the WeCom API by path and errcode (0 = success; timeout, network, http, body = no WeCom answer).',
    labelNames: ['api', 'errcode'],
    registers: r,
  })
  const wecomDuration = new Histogram({
    name: 'portal_wecom_call_duration_seconds',
    help: 'Time of one WeCom API call (queueing for a connection included), by path.',
    labelNames: ['api'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: r,
  })
  const refreshes = new Counter({
    name: 'portal_wecom_token_refreshes_total',
    help: 'Access token and JS-SDK ticket fetches from WeCom, by kind and outcome (ok, failed).',
    labelNames: ['kind', 'outcome'],
    registers: r,
  })
  const syncRuns = new Counter({ name: 'portal_sync_runs_total', help: 'Directory sync runs finished by this instance, by kind and status (succeeded, failed, held).', labelNames: ['kind', 'status'], registers: r })
  const syncDuration = new Histogram({
    name: 'portal_sync_run_duration_seconds',
    help: 'Duration of directory sync runs, by kind and status.',
    labelNames: ['kind', 'status'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: r,
  })
  const syncRows = new Counter({ name: 'portal_sync_rows_written_total', help: 'Rows written by directory sync runs, by kind.', labelNames: ['kind'], registers: r })
  const pruned = new Counter({ name: 'portal_retention_deleted_rows_total', help: 'Rows deleted by the daily retention run (RETENTION_DAYS), by table.', labelNames: ['table'], registers: r })
  const rebuilds = new Histogram({
    name: 'portal_directory_rebuild_duration_seconds',
    help: "Rebuilds of this instance's directory view after a write (any instance's), by what they read: written (the members written since the last) or all.",
    labelNames: ['read'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: r,
  })
  const viewMembers = new Gauge({ name: 'portal_directory_members', help: "Members in this instance's directory view, disabled ones included.", registers: r })
  const dbGauges = createDbGauges({ ...d, registers: r })

  return {
    registry,
    httpRequest(method, route, status, seconds) {
      http.observe(METHODS.has(method) ? method : 'OTHER', route, status, seconds)
    },
    signIn(outcome) {
      signIns.inc({ outcome })
    },
    wecomCall(call) {
      const errcode = call.failure ?? String(call.errcode)
      wecomCalls.inc({ api: call.path, errcode })
      wecomDuration.observe({ api: call.path }, call.seconds)
      const kind = REFRESHES[call.path]
      if (kind) refreshes.inc({ kind, outcome: errcode === '0' ? 'ok' : 'failed' })
    },
    syncRun(run) {
      syncRuns.inc({ kind: run.kind, status: run.status })
      syncDuration.observe({ kind: run.kind, status: run.status }, run.seconds)
      if (run.rowsWritten) syncRows.inc({ kind: run.kind }, run.rowsWritten)
    },
    rowsPruned(table, rows) {
      pruned.inc({ table }, rows)
    },
    directoryRebuild(rebuild) {
      rebuilds.observe({ read: rebuild.whole ? 'all' : 'written' }, rebuild.seconds)
      viewMembers.set(rebuild.members)
    },
    async text() {
      await dbGauges.refresh()
      return registry.metrics()
    },
  }
}

