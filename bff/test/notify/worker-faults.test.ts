import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import type { FaultSpec } from '../../src/sandbox'
import { describeEachDb } from '../helpers/test-db'
import { addMember, memberProblem, notifyRig, onlyRow, outboxRows, resetOutbox, SEND, T0 } from './helpers'

const SECOND = 1000
const MINUTE = 60 * SECOND

describeEachDb('outbox worker under WeCom faults', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db.close()
  })
  beforeEach(() => resetOutbox(db))

  // Each fault hits the first send once; the retry (jitter fixed at its maximum) goes through.
  const transient: [string, Omit<FaultSpec, 'path'>, RegExp, number][] = [
    ['-1 system busy', { errcode: -1 }, /^errcode -1: /, 30 * SECOND],
    ['45009 frequency limit: waits out the minute', { errcode: 45009 }, /^errcode 45009: /, 61 * SECOND],
    ['45033 concurrency limit', { errcode: 45033 }, /^errcode 45033: /, 30 * SECOND],
    ['HTTP 502 from the gateway', { httpStatus: 502 }, /^WeComTransportError: .*HTTP 502/, 30 * SECOND],
    ['a dropped connection', { drop: true }, /^WeComTransportError: .*network error/, 30 * SECOND],
  ]

  for (const [name, spec, lastError, wait] of transient) {
    it(`retries with backoff after ${name}`, async () => {
      const rig = notifyRig(db)
      await rig.fault({ path: SEND, times: 1, ...spec })
      await rig.enqueue('lisi', 'k1')
      await rig.worker.drain()
      let row = await onlyRow(db)
      expect(row).toMatchObject({ status: 'pending', attempts: 1, msgid: null })
      expect(row.last_error).toMatch(lastError)
      expect(row.next_attempt_at.getTime()).toBe(T0 + wait)
      expect(await rig.inbox('lisi')).toEqual([])
      // Not due yet: nothing is sent.
      const calls = rig.sendCalls()
      rig.advance(wait - 1)
      await rig.worker.drain()
      expect(rig.sendCalls()).toBe(calls)
      rig.advance(1)
      await rig.worker.drain()
      row = await onlyRow(db)
      expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null })
      expect(row.sent_at!.getTime()).toBe(T0 + wait)
      const inbox = await rig.inbox('lisi')
      expect(inbox).toHaveLength(1)
      expect(row.msgid).toBe(inbox[0]!.msgid)
    })
  }

  it('a timeout after WeCom accepted: the retry is the identical body, so WeCom delivers once and the row gets the first msgid', async () => {
    const rig = notifyRig(db, { timeoutMs: 100 })
    await rig.fault({ path: SEND, times: 1, latencyMs: 300 })
    await rig.enqueue('lisi', 'k1')
    await rig.worker.drain()
    expect(await onlyRow(db)).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/timed out/) })
    // The sandbox finishes the call the client gave up on, as a real server would.
    await new Promise((r) => setTimeout(r, 400))
    expect(await rig.inbox('lisi')).toHaveLength(1)
    rig.advance(30 * SECOND)
    await rig.worker.drain()
    const row = await onlyRow(db)
    const [delivered] = await rig.inbox('lisi')
    expect(await rig.inbox('lisi')).toHaveLength(1)
    expect(row).toMatchObject({ status: 'sent', attempts: 2, msgid: delivered!.msgid })
    expect((await rig.sends()).map((s) => s.duplicateOf)).toEqual([undefined, delivered!.msgid])
  })

  it('gives up after 8 attempts with exponential backoff, keeping the last error; never sent again', async () => {
    const rig = notifyRig(db)
    await rig.fault({ path: SEND, errcode: -1 })
    await rig.enqueue('lisi', 'k1')
    const waits: number[] = []
    for (let i = 0; i < 8; i++) {
      const before = rig.now()
      await rig.worker.drain()
      const row = await onlyRow(db)
      expect(row.attempts).toBe(i + 1)
      if (row.status === 'pending') waits.push(row.next_attempt_at.getTime() - before)
      rig.advance(row.next_attempt_at.getTime() - before)
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1200].map((s) => s * SECOND))
    const row = await onlyRow(db)
    expect(row).toMatchObject({ status: 'failed', attempts: 8 })
    expect(row.last_error).toMatch(/^gave up after 8 attempts; last: errcode -1: /)
    expect(rig.lines.some((l) => l.includes('giving up'))).toBe(true)
    const calls = rig.sendCalls()
    rig.advance(24 * 60 * MINUTE)
    await rig.worker.drain()
    expect(rig.sendCalls()).toBe(calls)
    expect(await rig.inbox('lisi')).toEqual([])
  })

  for (const errcode of [40003, 45002, 40058]) {
    it(`non-transient errcode ${errcode} fails the row at once with the reason`, async () => {
      const rig = notifyRig(db)
      await rig.fault({ path: SEND, errcode, times: 1 })
      await rig.enqueue('lisi', 'k1')
      await rig.worker.drain()
      const row = await onlyRow(db)
      expect(row).toMatchObject({ status: 'failed', attempts: 1, sent_at: null })
      expect(row.last_error).toMatch(new RegExp(`^errcode ${errcode}: `))
      rig.advance(60 * MINUTE)
      await rig.worker.drain()
      expect(rig.sendCalls()).toBe(1)
    })
  }

  it('a message WeCom refuses as it stands (empty text, 44004) fails at once; the next row still goes', async () => {
    const rig = notifyRig(db)
    await rig.enqueue('lisi', 'bad', { msgtype: 'text', text: { content: '' } })
    await rig.enqueue('lisi', 'good')
    await rig.worker.drain()
    const [bad, good] = await outboxRows(db)
    expect(bad).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringMatching(/^errcode 44004: /) })
    expect(good).toMatchObject({ status: 'sent' })
  })

  it('81013 (recipient invalid): failed with the reason, invaliduser on the row and on the member', async () => {
    const rig = notifyRig(db)
    await addMember(db, 'ghost')
    await rig.enqueue('ghost', 'k1')
    await rig.worker.drain()
    const row = await onlyRow(db)
    expect(row).toMatchObject({ status: 'failed', attempts: 1, invaliduser: 'ghost', msgid: null })
    expect(row.last_error).toMatch(/^errcode 81013: /)
    expect(await memberProblem(db, 'ghost')).toEqual({ notify_problem: 'invaliduser', notify_problem_at: new Date(T0) })
  })

  it('a member outside the visible range is invalid too', async () => {
    const rig = notifyRig(db, { sandbox: { visibleRange: { departments: [], users: ['zhangsan'] } } })
    await addMember(db, 'lisi')
    await rig.enqueue('lisi', 'k1')
    await rig.worker.drain()
    expect(await onlyRow(db)).toMatchObject({ status: 'failed', invaliduser: 'lisi' })
    expect((await memberProblem(db, 'lisi'))!.notify_problem).toBe('invaliduser')
  })

  it('unlicenseduser: WeCom says ok but skips them — failed, recorded on row and member; a later delivery clears the member', async () => {
    const rig = notifyRig(db, { sandbox: { unlicensedUsers: ['wujiu'] } })
    await addMember(db, 'wujiu')
    await rig.enqueue('wujiu', 'k1')
    await rig.worker.drain()
    const row = await onlyRow(db)
    expect(row).toMatchObject({ status: 'failed', attempts: 1, unlicenseduser: 'wujiu', invaliduser: null })
    expect(row.msgid).toEqual(expect.any(String))
    expect(row.last_error).toMatch(/^unlicenseduser: /)
    expect(await memberProblem(db, 'wujiu')).toEqual({ notify_problem: 'unlicenseduser', notify_problem_at: new Date(T0) })
    expect(await rig.inbox('wujiu')).toEqual([])

    rig.sandbox.state.settings.unlicensedUsers = []
    await rig.enqueue('wujiu', 'k2')
    await rig.worker.drain()
    expect((await outboxRows(db)).map((r) => r.status)).toEqual(['failed', 'sent'])
    expect(await memberProblem(db, 'wujiu')).toEqual({ notify_problem: null, notify_problem_at: null })
  })

  it('the app itself refused (60020 IP not trusted): rows stay pending without spending attempts, the worker pauses', async () => {
    const rig = notifyRig(db)
    await rig.fault({ path: SEND, errcode: 60020 })
    await rig.enqueue('lisi', 'k1')
    await rig.enqueue('lisi', 'k2')
    await rig.worker.drain()
    let rows = await outboxRows(db)
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'pending', attempts: 0, last_error: expect.stringMatching(/^errcode 60020: /) })
      expect(row.next_attempt_at.getTime()).toBe(T0 + MINUTE)
    }
    expect(rig.lines.some((l) => l.includes('WeCom refuses messages from this app'))).toBe(true)
    // Paused: a new row, due at once, waits too.
    await rig.enqueue('lisi', 'k3')
    const calls = rig.sendCalls()
    await rig.worker.drain()
    expect(rig.sendCalls()).toBe(calls)
    // The admin fixes the IP; after the pause everything goes, with one attempt each.
    await rig.clearFaults()
    rig.advance(MINUTE - 1)
    await rig.worker.drain()
    expect(rig.sendCalls()).toBe(calls)
    rig.advance(1)
    await rig.worker.drain()
    rows = await outboxRows(db)
    expect(rows.map((r) => [r.status, r.attempts, r.last_error])).toEqual([['sent', 1, null], ['sent', 1, null], ['sent', 1, null]])
  })

  it('a configuration change ends the pause at once: held rows go without waiting out the minute', async () => {
    const rig = notifyRig(db)
    await rig.fault({ path: SEND, errcode: 60020 })
    await rig.enqueue('lisi', 'k1')
    await rig.worker.drain()
    const calls = rig.sendCalls()
    await rig.worker.drain()
    expect(rig.sendCalls()).toBe(calls)
    await rig.clearFaults()
    rig.worker.resume()
    await new Promise((r) => setTimeout(r, 50))
    await rig.worker.drain()
    expect((await outboxRows(db)).map((r) => [r.status, r.attempts])).toEqual([['sent', 1]])
  })

  it('MESSAGE_ENABLE=false: rows are kept as suppressed and nothing reaches WeCom', async () => {
    const rig = notifyRig(db, { messageEnable: false })
    for (const k of ['k1', 'k2', 'k3']) await rig.enqueue('lisi', k)
    await rig.worker.drain()
    const rows = await outboxRows(db)
    expect(rows.map((r) => r.status)).toEqual(['suppressed', 'suppressed', 'suppressed'])
    expect(rows[0]!.last_error).toMatch(/MESSAGE_ENABLE=false/)
    expect(rig.sandbox.state.calls.size).toBe(0)
    // Turned back on, suppressed rows stay suppressed: they were never meant to go.
    rig.settings.set('messageEnable', true)
    await rig.worker.drain()
    expect(rig.sandbox.state.calls.size).toBe(0)
  })
})
