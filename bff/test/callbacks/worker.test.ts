import { Hono } from 'hono'
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest'
import type { AppEnv } from '../../src/app-env'
import { settingsOf } from '../../src/admin/settings/runtime'
import { callbackRoutes, createCallbackDispatcher, createCallbacks, createCallbackWorker, type CallbackMessage, type CallbackWorkerOptions } from '../../src/callbacks'
import { callbackHash, enqueueCallback } from '../../src/callbacks/inbox'
import type { Db } from '../../src/db'
import { DatabaseUnavailableError } from '../../src/db/unavailable'
import { runInRequest } from '../../src/log'
import { describeEachDb } from '../helpers/test-db'
import { contactXml, createUserXml, postInit, recordingLog, sealed, testConfig, textXml } from './helpers'

type Row = { hash: string; applied_at: Date | null; attempts: number; last_error: string | null }

async function enqueue(db: Db, xml: string): Promise<string> {
  const hash = callbackHash(xml)
  await enqueueCallback(db, xml)
  return hash
}

const contentOf = (m: CallbackMessage) => m.fields.Content as string

describeEachDb('WeCom callback worker', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db.close()
  })
  beforeEach(async () => {
    await db.query('delete from callback_events')
  })

  const rows = () => db.query<Row>('select hash, applied_at, attempts, last_error from callback_events order by received_at')
  const pending = async () => (await rows()).filter((r) => !r.applied_at).length

  function worker(extra: Partial<CallbackWorkerOptions> = {}) {
    const dispatcher = createCallbackDispatcher()
    const sleeps: number[] = []
    const { log, lines } = recordingLog()
    // Waits for retries pass on a clock of the test's own, at once.
    let clock = Date.now()
    const w = createCallbackWorker({ db, log, dispatcher, now: () => clock, sleep: async (ms) => void (sleeps.push(ms), (clock += ms)), ...extra })
    return { w, dispatcher, sleeps, lines }
  }

  // ---- failure paths first -------------------------------------------------------------------

  it('a failing handler is retried with backoff, its failures recorded, until it succeeds', async () => {
    const { w, dispatcher, sleeps } = worker()
    let calls = 0
    dispatcher.on({ msgType: 'text' }, async () => {
      if (++calls < 3) throw new Error(`upstream busy #${calls}`)
    })
    const hash = await enqueue(db, textXml('a', 1))
    await w.drain()
    expect(calls).toBe(3)
    expect(sleeps).toEqual([1000, 2000])
    const [row] = await rows()
    expect(row).toMatchObject({ hash, attempts: 2, last_error: null })
    expect(row!.applied_at).toBeInstanceOf(Date)
  })

  it('gives up after maxAttempts and keeps the error; the events behind it are not held up meanwhile', async () => {
    const { w, dispatcher, sleeps, lines } = worker({ maxAttempts: 3 })
    const seen: string[] = []
    dispatcher.on({ msgType: 'text' }, async (m) => {
      seen.push(contentOf(m))
      if (contentOf(m) === 'poison') throw new TypeError('cannot apply this')
    })
    const poison = await enqueue(db, textXml('poison', 1))
    const next = await enqueue(db, textXml('next', 2))
    await w.drain()
    expect(seen).toEqual(['poison', 'next', 'poison', 'poison'])
    expect(sleeps).toEqual([1000, 2000])
    const byHash = new Map((await rows()).map((r) => [r.hash, r]))
    expect(byHash.get(poison)).toMatchObject({ applied_at: null, attempts: 3, last_error: 'TypeError: cannot apply this' })
    expect(byHash.get(next)!.applied_at).toBeInstanceOf(Date)
    expect(lines.some((l) => l.includes('giving up'))).toBe(true)
    // not picked up again by a later pass
    await w.drain()
    expect(seen).toHaveLength(4)
  })

  it('the database out of reach is a transient failure: retried with growing backoff past maxAttempts, never parked', async () => {
    const { w, dispatcher, sleeps } = worker({ maxAttempts: 2 })
    let calls = 0
    dispatcher.on({ msgType: 'text' }, async () => {
      if (++calls <= 4) throw new DatabaseUnavailableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))
    })
    const hash = await enqueue(db, textXml('db away', 1))
    await w.drain()
    expect(calls).toBe(5)
    expect(sleeps).toEqual([1000, 2000, 4000, 8000])
    const [row] = await db.query<Row & { retries: number }>('select hash, applied_at, attempts, retries, last_error from callback_events')
    expect(row).toMatchObject({ hash, attempts: 0, retries: 4, last_error: null })
    expect(row!.applied_at).toBeInstanceOf(Date)
  })

  it('an event waiting for its retry holds back the later events of its member, and only those', async () => {
    const { w, dispatcher, sleeps } = worker()
    const seen: string[] = []
    let busy = true
    dispatcher.on({ event: 'change_contact' }, async (m) => {
      const what = `${m.changeType} ${String(m.fields.UserID)}`
      seen.push(what)
      if (what === 'create_user alice' && busy) {
        busy = false
        throw new Error('WeCom busy')
      }
    })
    await enqueue(db, createUserXml('alice', 1))
    await enqueue(db, contactXml('update_user', 'Alice', 2))
    await enqueue(db, createUserXml('bob', 3))
    await w.drain()
    // alice's update waited (in the same batch, and after it) until her create went through.
    expect(seen).toEqual(['create_user alice', 'create_user bob', 'create_user alice', 'update_user Alice'])
    expect(sleeps).toEqual([1000])
    expect(await pending()).toBe(0)
  })

  it('a batch handler gets every matching due event at once, in arrival order, and may fail some of them', async () => {
    const { w, dispatcher } = worker({ batchSize: 3, maxAttempts: 1 })
    const batches: string[][] = []
    dispatcher.onBatch({ event: 'change_contact' }, async (msgs) => {
      batches.push(msgs.map((m) => String(m.fields.UserID)))
      return msgs.map((m) => (m.fields.UserID === 'bad' ? new Error('cannot apply bad') : undefined))
    })
    for (const [i, u] of ['u1', 'bad', 'u2', 'u3', 'u4'].entries()) await enqueue(db, createUserXml(u, i))
    await w.drain()
    expect(batches).toEqual([['u1', 'bad', 'u2'], ['u3', 'u4']])
    const failed = (await rows()).filter((r) => !r.applied_at)
    expect(failed).toEqual([expect.objectContaining({ attempts: 1, last_error: 'Error: cannot apply bad' })])
  })

  it('a handler that hangs counts as a failure instead of stalling the queue', async () => {
    const { w, dispatcher } = worker({ handlerTimeoutMs: 20, maxAttempts: 1 })
    dispatcher.on({ msgType: 'text' }, () => new Promise(() => {}))
    await enqueue(db, textXml('stuck', 1))
    await w.drain()
    expect((await rows())[0]).toMatchObject({ applied_at: null, attempts: 1, last_error: 'Error: handler still running after 20 ms' })
  })

  // ---- ordering, dedupe, notes ------------------------------------------------------------------

  it('applies in arrival order, one at a time', async () => {
    const { w, dispatcher } = worker()
    const seen: string[] = []
    let inFlight = 0
    let maxInFlight = 0
    dispatcher.on({ msgType: 'text' }, async (m) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight)
      await new Promise((r) => setTimeout(r, 2))
      seen.push(contentOf(m))
      inFlight--
    })
    // CreateTime deliberately out of order: arrival decides, not WeCom's clock
    for (const [i, c] of ['c', 'a', 'd', 'b'].entries()) await enqueue(db, textXml(c, i, 1_700_000_100 - i))
    w.wake()
    w.wake()
    await w.drain()
    expect(seen).toEqual(['c', 'a', 'd', 'b'])
    expect(maxInFlight).toBe(1)
    expect(await pending()).toBe(0)
  })

  it('the same callback queued twice is applied once', async () => {
    const { w, dispatcher } = worker()
    const handler = vi.fn(async () => {})
    dispatcher.on({ msgType: 'text' }, handler)
    await enqueue(db, textXml('once', 1))
    await enqueue(db, textXml('once', 1))
    await w.drain()
    await enqueue(db, textXml('once', 1))
    await w.drain()
    expect(handler).toHaveBeenCalledTimes(1)
    expect(await rows()).toHaveLength(1)
  })

  it('woken by a request, the worker applies outside it: its lines carry no request id', async () => {
    const { w, dispatcher, lines } = worker()
    let applied!: () => void
    const done = new Promise<void>((r) => (applied = r))
    dispatcher.on({ msgType: 'text' }, async () => applied())
    await enqueue(db, textXml('woken', 1))
    runInRequest({ requestId: 'req-1' }, () => w.wake())
    await done
    await w.drain()
    const appliedLines = lines.map((l) => JSON.parse(l) as { msg: string; requestId?: string }).filter((l) => l.msg === 'wecom callbacks applied')
    expect(appliedLines.length).toBeGreaterThan(0)
    expect(appliedLines.every((l) => l.requestId === undefined)).toBe(true)
  })

  it('an event no handler wants is recorded as applied, with a note saying so', async () => {
    const { w } = worker()
    await enqueue(db, createUserXml('lisi'))
    await w.drain()
    const [row] = await rows()
    expect(row!.applied_at).toBeInstanceOf(Date)
    expect(row).toMatchObject({ attempts: 0, last_error: 'no handler for event/change_contact/create_user' })
  })

  // ---- lifecycle -------------------------------------------------------------------------------

  it('after a database error (an outage) it looks again by itself, well before the next sweep', async () => {
    await enqueue(db, textXml('after-outage', 1))
    // The database refuses everything until it is "back".
    let down = true
    const refuse = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))
    const flaky: Db = { ...db, query: (sql, params) => (down ? refuse() : db.query(sql, params)), transaction: (fn) => (down ? refuse() : db.transaction(fn)) }
    const dispatcher = createCallbackDispatcher()
    const seen: string[] = []
    dispatcher.on({ msgType: 'text' }, async (m) => void seen.push(contentOf(m)))
    const { log, lines } = recordingLog()
    const w = createCallbackWorker({ db: flaky, log, dispatcher, sweepMs: 600_000, errorRetryMs: 50 })
    w.start()
    await vi.waitFor(() => expect(lines.some((l) => l.includes('database error'))).toBe(true), { timeout: 10_000 })
    down = false
    // No wake, no sweep for 10 minutes: only the retry after the error can apply it.
    await vi.waitFor(async () => expect(await pending()).toBe(0), { timeout: 10_000 })
    expect(seen).toEqual(['after-outage'])
    await w.stop()
  })

  it('start() applies what a previous process left behind, and stop() ends cleanly', async () => {
    await enqueue(db, textXml('left-1', 1))
    await enqueue(db, textXml('left-2', 2))
    await db.query(`update callback_events set attempts = 1, last_error = 'crashed' where payload->'fields'->>'Content' = 'left-1'`)
    const { w, dispatcher } = worker({ sweepMs: 60_000 })
    const seen: string[] = []
    dispatcher.on({ msgType: 'text' }, async (m) => void seen.push(contentOf(m)))
    w.start()
    await vi.waitFor(async () => expect(await pending()).toBe(0), { timeout: 30_000 })
    expect(seen).toEqual(['left-1', 'left-2'])
    await w.stop()
    // stopped: new work waits for the next process
    await enqueue(db, textXml('later', 3))
    w.wake()
    await w.drain()
    expect(await pending()).toBe(1)
  })

  it('two instances on one database apply each event once, in order, never at the same time', async () => {
    const seen: string[] = []
    let inFlight = 0
    let maxInFlight = 0
    const instances = [0, 1].map(() => {
      const x = worker({ busyRetryMs: 5 })
      x.dispatcher.on({ msgType: 'text' }, async (m) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight)
        await new Promise((r) => setTimeout(r, 5))
        seen.push(contentOf(m))
        inFlight--
      })
      return x.w
    })
    const expected = Array.from({ length: 8 }, (_, i) => `e${i}`)
    for (const [i, c] of expected.entries()) await enqueue(db, textXml(c, i))
    await Promise.all(instances.map((w) => w.drain()))
    await vi.waitFor(async () => expect(await pending()).toBe(0), { timeout: 30_000 })
    await Promise.all(instances.map((w) => w.stop()))
    expect(seen).toEqual(expected)
    expect(maxInFlight).toBe(1)
  })

  // ---- end to end through the route --------------------------------------------------------------

  it('a change_contact/create_user handler receives the parsed fields; the POST is answered before it finishes', async () => {
    const { log } = recordingLog()
    const callbacks = createCallbacks({ db, log })
    const app = new Hono<AppEnv>().route('/', callbackRoutes({ settings: settingsOf(testConfig()), db, log, now: Date.now }, callbacks.worker))
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const received: CallbackMessage[] = []
    callbacks.dispatcher.on({ event: 'change_contact', changeType: 'create_user' }, async (m) => {
      received.push(m)
      await gate
    })
    const other = vi.fn(async () => {})
    callbacks.dispatcher.on({ event: 'change_contact', changeType: 'delete_user' }, other)

    const s = sealed(createUserXml('lisi'))
    const res = await app.request(s.path, postInit(s.body))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
    // answered while the handler is still blocked
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 30_000 })
    expect(await pending()).toBe(1)

    release()
    await callbacks.worker.drain()
    expect(await pending()).toBe(0)
    expect(other).not.toHaveBeenCalled()
    const m = received[0]!
    expect(m).toMatchObject({ msgType: 'event', event: 'change_contact', changeType: 'create_user', fromUserName: 'sys', createTime: 1_700_000_000 })
    expect(m.fields).toMatchObject({ UserID: 'lisi', Name: '张三', Department: '1,2', MainDepartment: '1', Position: '产品经理' })
    expect(m.fields.ExtAttr).toEqual({
      Item: [
        { Name: '爱好', Type: '0', Text: { Value: '旅游' } },
        { Name: '卡号', Type: '1', Web: { Title: '企业微信', Url: 'https://work.weixin.qq.com' } },
      ],
    })
    await callbacks.worker.stop()
  })
})
