import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import type { WeComClient } from '../../src/wecom'
import { describeEachDb } from '../helpers/test-db'
import { dyingBeforeRecord, notifyRig, onlyRow, outboxRows, resetOutbox, SEND, T0 } from './helpers'

const pending = async (db: Db) => (await outboxRows(db)).filter((r) => r.status === 'pending').length

describeEachDb('outbox worker: delivery', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db.close()
  })
  beforeEach(() => resetOutbox(db))

  // ---- failure paths first -------------------------------------------------------------------

  it('dying between WeCom accepting and the record loses nothing and, after a restart, delivers nothing twice', async () => {
    const rig = notifyRig(db)
    await rig.enqueue('lisi', 'k1')
    const crashing = rig.makeWorker({ db: dyingBeforeRecord(db) })
    await crashing.drain()
    expect(rig.lines.some((l) => l.includes('outbox worker: database error'))).toBe(true)
    expect(await onlyRow(db)).toMatchObject({ status: 'pending', attempts: 0, msgid: null })
    const [first] = await rig.inbox('lisi')
    expect(first).toBeDefined()
    // "Restarted": a new worker sends the row again, byte for byte; WeCom recognises it.
    await rig.makeWorker().drain()
    expect(await onlyRow(db)).toMatchObject({ status: 'sent', attempts: 1, msgid: first!.msgid })
    expect(await rig.inbox('lisi')).toHaveLength(1)
    expect((await rig.sends()).map((s) => s.duplicateOf)).toEqual([undefined, first!.msgid])
  })

  it('holds messages back at WeCom\'s 30 per minute per member instead of letting WeCom drop them', async () => {
    const rig = notifyRig(db)
    for (let i = 0; i < 35; i++) await rig.enqueue('lisi', `k${String(i).padStart(2, '0')}`)
    await rig.worker.drain()
    let rows = await outboxRows(db)
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(30)
    const held = rows.filter((r) => r.status === 'pending')
    expect(held).toHaveLength(5)
    for (const r of held) expect(r).toMatchObject({ attempts: 0, last_error: null, next_attempt_at: new Date(T0 + 68_000) })
    rig.advance(68_000)
    await rig.worker.drain()
    rows = await outboxRows(db)
    expect(rows.every((r) => r.status === 'sent')).toBe(true)
    const inbox = await rig.inbox('lisi')
    expect(inbox).toHaveLength(35)
    expect(inbox.every((m) => m.status === 'delivered')).toBe(true)
  })

  it('two workers on one database never send a row twice', async () => {
    const rig = notifyRig(db)
    // A little latency so the two really overlap.
    await rig.fault({ path: SEND, latencyMs: 2 })
    const members = rig.members(40)
    for (let i = 0; i < 200; i++) await rig.enqueue(members[i % members.length]!, `k${i}`)
    const counts = [0, 0]
    const counting = (n: 0 | 1): Pick<WeComClient, 'post'> => ({
      post: (path, body) => {
        counts[n]! += 1
        return rig.wecom.post(path, body)
      },
    })
    const [a, b] = [rig.makeWorker({ wecom: counting(0) }), rig.makeWorker({ wecom: counting(1) })]
    await Promise.all([a.drain(), b.drain()])
    // On PGlite the second finds the first busy and leaves it to it; either way, all get done.
    while ((await pending(db)) > 0) await Promise.all([a.drain(), b.drain()])
    expect(counts[0]! + counts[1]!).toBe(200)
    if (db.kind === 'postgres') expect(Math.min(...counts)).toBeGreaterThan(0)
    const sends = await rig.sends()
    expect(sends).toHaveLength(200)
    expect(sends.filter((s) => s.duplicateOf)).toEqual([])
    for (const userid of members) {
      const titles = (await rig.inbox(userid)).map((m) => (m.payload as { textcard: { title: string } }).textcard.title)
      expect(titles).toHaveLength(5)
      expect(new Set(titles).size).toBe(5)
    }
  })

  // ---- the ordinary path ---------------------------------------------------------------------

  it('sends one textcard per row to its member and records sent, msgid and time', async () => {
    const rig = notifyRig(db)
    await rig.enqueue('lisi', 'k1')
    await rig.enqueue('zhangsan', 'k2', { msgtype: 'text', text: { content: '你好' } })
    await rig.worker.drain()
    const rows = await outboxRows(db)
    expect(rows.map((r) => [r.userid, r.status, r.attempts, r.sent_at?.getTime()])).toEqual([
      ['lisi', 'sent', 1, T0],
      ['zhangsan', 'sent', 1, T0],
    ])
    const [card] = await rig.inbox('lisi')
    expect(card).toMatchObject({ msgid: rows[0]!.msgid, msgtype: 'textcard', payload: { textcard: { title: '待办：k1', btntxt: '查看' } } })
    const [text] = await rig.inbox('zhangsan')
    expect(text).toMatchObject({ msgid: rows[1]!.msgid, payload: { text: { content: '你好' } } })
  })

  it('enqueueing twice with one dedupe key sends one message', async () => {
    const rig = notifyRig(db)
    expect(await rig.enqueue('lisi', 'same')).toBe(true)
    expect(await rig.enqueue('lisi', 'same')).toBe(false)
    await rig.worker.drain()
    await rig.worker.drain()
    expect(await onlyRow(db)).toMatchObject({ status: 'sent' })
    expect(await rig.inbox('lisi')).toHaveLength(1)
    expect(rig.sendCalls()).toBe(1)
  })

  it('sends in order of due time, in bounded batches', async () => {
    const rig = notifyRig(db)
    for (let i = 0; i < 7; i++) await rig.enqueue('lisi', `k${i}`)
    const w = rig.makeWorker({ batchSize: 3, concurrency: 1 })
    await w.drain()
    const titles = (await rig.inbox('lisi')).map((m) => (m.payload as { textcard: { title: string } }).textcard.title)
    expect(titles).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `待办：k${i}`))
  })

  it('start() sends what is due and polls; wake() sends at once; stop() ends it', async () => {
    const rig = notifyRig(db)
    await rig.enqueue('lisi', 'k1')
    const w = rig.makeWorker({ sleep: undefined, pollMs: 60_000 })
    w.start()
    await until(async () => (await pending(db)) === 0)
    await rig.enqueue('lisi', 'k2')
    w.wake()
    await until(async () => (await pending(db)) === 0)
    await w.stop()
    await rig.enqueue('lisi', 'k3')
    w.wake()
    await new Promise((r) => setTimeout(r, 100))
    expect((await outboxRows(db)).map((r) => r.status)).toEqual(['sent', 'sent', 'pending'])
  })
})

async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}
