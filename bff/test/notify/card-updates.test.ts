import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import type { Db } from '../../src/db'
import { queueCardUpdates } from '../../src/notify/card-updates'
import { SANDBOX_CALLBACK } from '../../src/sandbox'
import { describeEachDb } from '../helpers/test-db'
import { notifyRig, resetOutbox } from './helpers'

const URL_ = 'https://portal.example.com/auth/login?returnTo=%2Ftodos%2Ft1'
const CARD = {
  msgtype: 'template_card' as const,
  template_card: {
    card_type: 'button_interaction' as const,
    task_id: 'todo-t1-new',
    main_title: { title: '待办：审核合同', desc: '待处理' },
    card_action: { type: 1 as const, url: URL_ },
    button_list: [{ type: 1 as const, text: '查看', key: 'todo:t1', url: URL_ }],
  },
}
const rows = (db: Db) => db.query<{ kind: string; status: string; attempts: number }>('select kind, status, attempts from outbox order by outbox.id')

describeEachDb('card updates in the outbox', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
  })
  afterAll(() => db.close())
  beforeEach(() => resetOutbox(db))

  const rig = (perMinute = 30) =>
    notifyRig(db, { sandbox: { callback: { url: 'http://127.0.0.1:9/wecom/callback', ...SANDBOX_CALLBACK } }, worker: { memberLimits: { perMinute, perHour: 1000 } } })
  const sendCard = async (r: ReturnType<typeof rig>) => {
    await db.query(
      `insert into outbox (dedupe_key, userid, ref_kind, ref_id, message, task_id, next_attempt_at, created_at) values ('todo:t1:new', 'lisi', 'todo', 't1', $1, 'todo-t1-new', $2, $2)`,
      [JSON.stringify(CARD), new Date(r.now())],
    )
  }

  it('paces an update like a message: over the member’s minute it waits, then goes', async () => {
    const r = rig(1)
    await sendCard(r)
    await r.worker.drain()
    expect(await queueCardUpdates(db, { ref: { kind: 'todo', id: 't1' }, state: 'done', now: new Date(r.now()) })).toBe(1)
    // Closing again queues nothing: a card is updated once.
    expect(await queueCardUpdates(db, { ref: { kind: 'todo', id: 't1' }, state: 'cancelled', now: new Date(r.now()) })).toBe(0)
    await r.worker.drain()
    expect(await rows(db)).toEqual([{ kind: 'send', status: 'sent', attempts: 1 }, { kind: 'update', status: 'pending', attempts: 0 }])
    expect((await r.inbox('lisi'))[0]).not.toHaveProperty('replaceName')
    r.advance(70_000) // the minute window plus its margin
    await r.worker.drain()
    expect((await rows(db))[1]).toEqual({ kind: 'update', status: 'sent', attempts: 1 })
    expect((await r.inbox('lisi'))[0]).toMatchObject({ replaceName: '已处理' })
  })

  it('waits for its card when the card is still queued, sending nothing before it', async () => {
    const r = rig()
    await sendCard(r)
    await queueCardUpdates(db, { ref: { kind: 'todo', id: 't1' }, state: 'cancelled', now: new Date(r.now()) })
    // Make the update due first: it must not overtake its card.
    await db.query(`update outbox set next_attempt_at = next_attempt_at - interval '1 minute' where kind = 'update'`)
    await r.worker.drain()
    await r.worker.drain()
    expect(await rows(db)).toEqual([{ kind: 'send', status: 'sent', attempts: 1 }, { kind: 'update', status: 'pending', attempts: 0 }])
    r.advance(31_000)
    await r.worker.drain()
    expect((await r.inbox('lisi'))[0]).toMatchObject({ replaceName: '已取消' })
  })

  it('keeps an update suppressed with messages off, and never sends it later', async () => {
    const r = rig()
    await sendCard(r)
    await r.worker.drain()
    await queueCardUpdates(db, { ref: { kind: 'todo', id: 't1' }, state: 'done', now: new Date(r.now()) })
    r.settings.set('messageEnable', false)
    await r.worker.drain()
    r.settings.set('messageEnable', true)
    await r.worker.drain()
    expect((await rows(db))[1]).toMatchObject({ kind: 'update', status: 'suppressed' })
    expect((await r.inbox('lisi'))[0]).not.toHaveProperty('replaceName')
  })
})
