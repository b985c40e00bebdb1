import type { Hono } from 'hono'
import type { Db, Queryable } from '../../src/db'
import type { RuntimeSettings } from '../../src/admin/settings/runtime'
import { createLogger } from '../../src/log'
import { enqueueNotification, type OutboxMessage } from '../../src/notify/enqueue'
import { createOutboxWorker, type OutboxWorkerOptions } from '../../src/notify/worker'
import { createSandbox, SANDBOX_DEFAULTS, type FaultSpec, type InboxMessage, type SandboxOptions, type SendRecord } from '../../src/sandbox'
import { createTokenCache, createWeComClient } from '../../src/wecom'

export const T0 = Date.UTC(2026, 10, 2, 1, 0, 0)
export const SEND = '/cgi-bin/message/send'

export type OutboxRecord = {
  id: string
  dedupe_key: string
  userid: string
  status: string
  attempts: number
  next_attempt_at: Date
  sent_at: Date | null
  msgid: string | null
  last_error: string | null
  invaliduser: string | null
  unlicenseduser: string | null
}

/**
 * `fetch` onto the sandbox app in memory. It honours the caller's abort signal (so client
 * timeouts happen) without passing it on: like a real server, the sandbox finishes a request
 * whose caller gave up — which is exactly the "accepted, answer lost" case.
 */
export function sandboxFetch(app: Hono): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const { signal, ...rest } = init ?? {}
    const res = Promise.resolve(app.request(String(input), rest))
    if (!signal) return res
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason)
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      res.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }) as typeof fetch
}

/**
 * A sandbox and an outbox worker on one hand-driven clock, over `db`. The worker's poll never
 * runs by itself: tests call drain(). Jitter is fixed at its maximum.
 */
export function notifyRig(db: Db, opts: { sandbox?: Partial<SandboxOptions>; worker?: Partial<OutboxWorkerOptions>; messageEnable?: boolean; timeoutMs?: number } = {}) {
  let now = T0
  const clock = () => now
  const sandbox = createSandbox({ trustedDomain: 'portal.example.com', now: clock, ...opts.sandbox })
  const lines: string[] = []
  const log = createLogger({ level: 'debug', write: (l) => lines.push(l) })
  const wecom = createWeComClient({
    apiBase: 'http://sandbox.test',
    corpId: SANDBOX_DEFAULTS.corpId,
    secret: SANDBOX_DEFAULTS.secret,
    tokens: createTokenCache(),
    fetch: sandboxFetch(sandbox.app),
    now: clock,
    // The fetch is the sandbox in-process: only the overall deadline applies (no connection pool).
    overallTimeoutMs: opts.timeoutMs ?? 1000,
  })
  // The two settings the worker reads; tests switch messages off and on as a console save would.
  const values = { messageEnable: opts.messageEnable ?? true, agentId: SANDBOX_DEFAULTS.agentId }
  const settings = {
    get: ((key: keyof typeof values) => values[key]) as RuntimeSettings['get'],
    set: (key: 'messageEnable', value: boolean) => void (values[key] = value),
  }
  const makeWorker = (extra: Partial<OutboxWorkerOptions> = {}) =>
    createOutboxWorker({ db, wecom, log, now: clock, settings, sleep: () => new Promise(() => {}), random: () => 1, ...opts.worker, ...extra })
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await sandbox.app.request(`/sandbox/admin/${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    if (!res.ok) throw new Error(`sandbox admin ${method} ${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as Record<string, unknown>
  }
  return {
    sandbox,
    wecom,
    settings,
    lines,
    worker: makeWorker(),
    makeWorker,
    advance: (ms: number) => void (now += ms),
    now: clock,
    fault: (spec: FaultSpec) => admin('POST', 'faults', spec),
    clearFaults: () => admin('DELETE', 'faults'),
    /** Every successful message/send call (duplicates included, marked duplicateOf). */
    sends: async () => (await admin('GET', 'messages')).sends as SendRecord[],
    inbox: async (userid: string) => (await admin('GET', `messages?userid=${encodeURIComponent(userid)}`)).messages as InboxMessage[],
    sendCalls: () => sandbox.state.calls.get(SEND) ?? 0,
    /** Active members of the sandbox org, for spreading messages (WeCom allows 30/min each). */
    members: (n: number) => sandbox.state.directory.org.members.filter((m) => m.status === 1).slice(0, n).map((m) => m.userid),
    enqueue: (userid: string, key: string, message: OutboxMessage = card(key)) => enqueueNotification(db, { dedupeKey: key, userid, message, now: new Date(now) }),
  }
}

export type Rig = ReturnType<typeof notifyRig>

export function card(key: string): OutboxMessage {
  return { msgtype: 'textcard', textcard: { title: `待办：${key}`, description: '<div class="normal">请处理</div>', url: `https://portal.example.com/todos/${encodeURIComponent(key)}`, btntxt: '查看' } }
}

export async function outboxRows(db: Db): Promise<OutboxRecord[]> {
  return db.query<OutboxRecord>(
    `select id::text as id, dedupe_key, userid, status, attempts, next_attempt_at, sent_at, msgid, last_error, invaliduser, unlicenseduser
     from outbox order by id`,
  )
}

export async function onlyRow(db: Db): Promise<OutboxRecord> {
  const rows = await outboxRows(db)
  if (rows.length !== 1) throw new Error(`expected one outbox row, got ${rows.length}`)
  return rows[0]!
}

export async function addMember(db: Db, userid: string): Promise<void> {
  await db.query(`insert into members (userid, name, status) values ($1, $1, 1) on conflict (userid) do nothing`, [userid])
}

export async function memberProblem(db: Db, userid: string) {
  const [row] = await db.query<{ notify_problem: string | null; notify_problem_at: Date | null }>('select notify_problem, notify_problem_at from members where userid = $1', [userid])
  return row
}

export async function resetOutbox(db: Db): Promise<void> {
  await db.query('delete from outbox')
  await db.query('delete from members')
  // Every rig starts at T0: the per-member counts of an earlier test would still be in the window.
  await db.query('delete from rate_buckets')
}

/** The database as a process that dies right after WeCom answered and before the rows are recorded (the first `sent` write fails). */
export function dyingBeforeRecord(db: Db): Db {
  let armed = true
  const wrap = <Q extends Queryable>(q: Q): Q => ({
    ...q,
    query: (sql: string, params?: unknown[]) => {
      if (armed && sql.includes("status = 'sent'")) {
        armed = false
        throw new Error('simulated crash between WeCom accepting and the record')
      }
      return q.query(sql, params)
    },
  })
  return { ...wrap(db), transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) }
}
