import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import type { Db, Queryable } from '../../src/db'
import { enqueueNotifications } from '../../src/notify/outbox-store'
import type { WeComClient } from '../../src/wecom'
import { describeEachDb } from '../helpers/test-db'
import { addMember, card, dyingBeforeRecord, memberProblem, notifyRig, outboxRows, resetOutbox, SEND, T0, type Rig } from './helpers'

// A send group: one message to many members (a host notification), sent as one message/send call.

const SECOND = 1000

/** Queues `message` to each of `userids` as the group `group`, as a host notification does. */
function enqueueGroup(db: Queryable, rig: Rig, group: string, userids: readonly string[]) {
  const message = card(group)
  return enqueueNotifications(
    db,
    new Date(rig.now()),
    userids.map((userid) => ({ dedupeKey: `${group}:${userid}`, userid, message, group })),
  )
}

describeEachDb('outbox worker: send groups', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(async () => {
    await db.close()
  })
  beforeEach(() => resetOutbox(db))

  // ---- failure paths first -------------------------------------------------------------------

  it('dying between WeCom accepting and the record: after a restart the same call goes again, and WeCom delivers nothing twice', async () => {
    const rig = notifyRig(db)
    const members = rig.members(120)
    // WeCom does not know ghost: its row is recorded (failed) before the others would be (sent).
    await addMember(db, 'ghost')
    await enqueueGroup(db, rig, 'g1', [...members, 'ghost'])
    await rig.makeWorker({ db: dyingBeforeRecord(db) }).drain()
    // Nothing recorded: the group's rows are settled in one transaction or not at all.
    expect(new Set((await outboxRows(db)).map((r) => r.status))).toEqual(new Set(['pending']))
    const [first] = await rig.sends()
    expect(first!.delivered).toHaveLength(120)
    await rig.makeWorker().drain()
    const all = await outboxRows(db)
    expect(all.find((r) => r.userid === 'ghost')).toMatchObject({ status: 'failed', msgid: first!.msgid })
    const rows = all.filter((r) => r.userid !== 'ghost')
    expect(new Set(rows.map((r) => `${r.status} ${r.attempts} ${r.msgid}`))).toEqual(new Set([`sent 1 ${first!.msgid}`]))
    expect((await rig.sends()).map((s) => s.duplicateOf)).toEqual([undefined, first!.msgid])
    for (const userid of [members[0]!, members[119]!]) expect(await rig.inbox(userid)).toHaveLength(1)
  })

  it('a member WeCom does not know fails alone, with the reason on their row and on them; the others get it from the same call', async () => {
    const rig = notifyRig(db)
    await addMember(db, 'ghost')
    const members = rig.members(30)
    await enqueueGroup(db, rig, 'g1', [...members.slice(0, 10), 'ghost', ...members.slice(10)])
    await rig.worker.drain()
    expect(rig.sendCalls()).toBe(1)
    const rows = await outboxRows(db)
    const ghost = rows.find((r) => r.userid === 'ghost')!
    expect(ghost).toMatchObject({ status: 'failed', attempts: 1, invaliduser: 'ghost', unlicenseduser: null, last_error: 'invaliduser: WeCom did not deliver to ghost' })
    expect(await memberProblem(db, 'ghost')).toEqual({ notify_problem: 'invaliduser', notify_problem_at: new Date(T0) })
    const others = rows.filter((r) => r.userid !== 'ghost')
    expect(others).toHaveLength(30)
    // Each row holds its own fate: the call's invaliduser list is not copied onto the rows it reached.
    for (const r of others) expect(r).toMatchObject({ status: 'sent', attempts: 1, invaliduser: null, msgid: ghost.msgid })
  })

  it('a group nobody of which WeCom knows (81013): every row failed, each naming only its member', async () => {
    const rig = notifyRig(db)
    for (const u of ['ghost1', 'ghost2']) await addMember(db, u)
    await enqueueGroup(db, rig, 'g1', ['ghost1', 'ghost2'])
    await rig.worker.drain()
    const rows = await outboxRows(db)
    expect(rows.map((r) => [r.userid, r.status, r.invaliduser])).toEqual([
      ['ghost1', 'failed', 'ghost1'],
      ['ghost2', 'failed', 'ghost2'],
    ])
    for (const r of rows) expect(r.last_error).toMatch(/^errcode 81013: /)
  })

  it('a failed call is retried for the whole group with the identical body: WeCom had accepted it, so nobody gets it twice', async () => {
    const rig = notifyRig(db, { timeoutMs: 100 })
    await rig.fault({ path: SEND, times: 1, latencyMs: 300 })
    const members = rig.members(50)
    await enqueueGroup(db, rig, 'g1', members)
    await rig.worker.drain()
    let rows = await outboxRows(db)
    for (const r of rows) expect(r).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/timed out/), next_attempt_at: new Date(T0 + 30 * SECOND) })
    // The sandbox finishes the call the client gave up on, as a real server would.
    await new Promise((r) => setTimeout(r, 400))
    rig.advance(30 * SECOND)
    await rig.worker.drain()
    rows = await outboxRows(db)
    const [delivered] = await rig.inbox(members[0]!)
    for (const r of rows) expect(r).toMatchObject({ status: 'sent', attempts: 2, msgid: delivered!.msgid })
    for (const userid of members) expect(await rig.inbox(userid)).toHaveLength(1)
    expect((await rig.sends()).map((s) => s.duplicateOf)).toEqual([undefined, delivered!.msgid])
  })

  it('waits for its busiest member: one at WeCom\'s 30 a minute holds the group (nobody dropped), then all go in one call', async () => {
    const rig = notifyRig(db)
    for (let i = 0; i < 30; i++) await rig.enqueue('lisi', `k${i}`)
    await rig.worker.drain()
    const [a, b] = rig.members(5).filter((u) => u !== 'lisi')
    await enqueueGroup(db, rig, 'g1', [a!, 'lisi', b!])
    const calls = rig.sendCalls()
    await rig.worker.drain()
    expect(rig.sendCalls()).toBe(calls)
    let group = (await outboxRows(db)).filter((r) => r.dedupe_key.startsWith('g1:'))
    for (const r of group) expect(r).toMatchObject({ status: 'pending', attempts: 0, last_error: null, next_attempt_at: new Date(T0 + 68_000) })
    rig.advance(68_000)
    await rig.worker.drain()
    expect(rig.sendCalls()).toBe(calls + 1)
    group = (await outboxRows(db)).filter((r) => r.dedupe_key.startsWith('g1:'))
    expect(group.map((r) => r.status)).toEqual(['sent', 'sent', 'sent'])
    const last = (await rig.sends()).at(-1)!
    expect(last).toMatchObject({ delivered: [a, 'lisi', b], dropped: [] })
  })

  it('takes nothing from its other members while it waits: each still has all 30 of the minute for their own messages', async () => {
    const rig = notifyRig(db)
    for (let i = 0; i < 30; i++) await rig.enqueue('lisi', `k${i}`)
    await rig.worker.drain()
    const [a] = rig.members(5).filter((u) => u !== 'lisi')
    await enqueueGroup(db, rig, 'g1', [a!, 'lisi'])
    // Held back for lisi: each attempt used to keep the slot it had taken for a.
    await rig.worker.drain()
    expect((await outboxRows(db)).filter((r) => r.dedupe_key.startsWith('g1:')).map((r) => r.status)).toEqual(['pending', 'pending'])
    for (let i = 0; i < 30; i++) await rig.enqueue(a!, `a${i}`)
    const calls = rig.sendCalls()
    await rig.worker.drain()
    expect(rig.sendCalls()).toBe(calls + 30)
    const mine = (await outboxRows(db)).filter((r) => r.userid === a && !r.dedupe_key.startsWith('g1:'))
    expect(mine.map((r) => r.status)).toEqual(Array.from({ length: 30 }, () => 'sent'))
  })

  it('two workers on one database never split a group or send one twice', async () => {
    const rig = notifyRig(db)
    await rig.fault({ path: SEND, latencyMs: 5 })
    const members = rig.members(90)
    for (let g = 0; g < 6; g++) await enqueueGroup(db, rig, `g${g}`, members.slice(g * 15, g * 15 + 15))
    for (let i = 0; i < 20; i++) await rig.enqueue(members[i]!, `single${i}`)
    const touser: string[] = []
    const watching: Pick<WeComClient, 'post'> = {
      post: (path, body) => {
        touser.push(String((body as { touser: string }).touser))
        return rig.wecom.post(path, body)
      },
    }
    const [a, b] = [rig.makeWorker({ wecom: watching }), rig.makeWorker({ wecom: watching })]
    const pending = async () => (await outboxRows(db)).filter((r) => r.status === 'pending').length
    while ((await pending()) > 0) await Promise.all([a.drain(), b.drain()])
    expect(touser).toHaveLength(26)
    for (let g = 0; g < 6; g++) expect(touser).toContain(members.slice(g * 15, g * 15 + 15).join('|'))
    expect((await rig.sends()).filter((s) => s.duplicateOf)).toEqual([])
  })

  // ---- the ordinary path ---------------------------------------------------------------------

  it('sends one message to all of a group\'s members in one call, in the order they were queued, and records each row', async () => {
    const rig = notifyRig(db)
    const members = rig.members(200)
    await enqueueGroup(db, rig, 'g1', members)
    await rig.enqueue('lisi', 'alone')
    await rig.worker.drain()
    expect(rig.sendCalls()).toBe(2)
    const sends = await rig.sends()
    const call = sends.find((s) => s.delivered.length > 1)!
    expect(call.delivered).toEqual(members)
    const rows = (await outboxRows(db)).filter((r) => r.dedupe_key.startsWith('g1:'))
    for (const r of rows) expect(r).toMatchObject({ status: 'sent', attempts: 1, msgid: call.msgid, invaliduser: null, last_error: null })
    expect(rows.map((r) => r.sent_at?.getTime())).toEqual(members.map(() => T0))
    // WeCom's side counts each member reached, however many calls it took.
    expect(await (await rig.sandbox.app.request('/sandbox/admin/stats')).json()).toMatchObject({ messagesDelivered: 201 })
  })
})
