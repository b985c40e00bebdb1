import type { Db } from '@portal/bff/db'
import type { InboxMessage } from '@portal/bff/sandbox'
import { pgliteTestDb, postgresTestDb, REQUIRE_ALL, TEST_DATABASE_URL } from '@portal/bff/testing/db'
import { hostTodoSchema } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'
import { syncOnce } from '../support/sync'

// Issue 12 §3–4: todo cards (button_interaction template cards) that are updated when the todo
// is closed or handed on, through the outbox, against the sandbox over HTTP; and times in the
// corp's zone.

const KEY = 'cards-flow-key-0123456789abcdefghij'
const HOUR = 3_600_000

type Card = {
  task_id: string
  main_title: { title: string; desc: string }
  horizontal_content_list: { keyname: string; value: string }[]
  card_action: { url: string }
  button_list: { type: number; text: string; key?: string; url?: string }[]
}
type Row = { id: string; kind: string; status: string; last_error: string | null; response_code: string | null; card_of: string | null; msgid: string | null }

const describeStore = (name: string, openDb: () => Promise<Db>) =>
  describe(`todo cards [${name}]`, () => {
    let stack: Stack
    /** How far the sandbox's clock runs ahead of the app's (WeCom's 72 h, seen from its side). */
    let skew = 0
    beforeAll(async () => {
      stack = await startStack({ db: await openDb(), env: { HOST_API_KEYS: `oa:${KEY}` }, sandbox: { now: () => Date.now() + skew } })
      expect((await syncOnce(stack)).status).toBe('succeeded')
    })
    afterAll(() => stack?.close())

    const call = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${stack.appUrl}${path}`, { method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
      return { status: res.status, body: (await res.json()) as unknown }
    }
    const create = async (externalId: string, extra: object = {}) => {
      const r = await call('POST', '/api/host/todos', { externalId, assignee: 'lisi', title: '审核合同', link: 'https://oa.example.com/c/1', ...extra })
      expect(r.status).toBe(201)
      return hostTodoSchema.parse(r.body)
    }
    const patch = async (externalId: string, body: object) => expect((await call('PATCH', `/api/host/todos/${encodeURIComponent(externalId)}`, body)).status).toBe(200)
    const rows = (todoId: string) =>
      stack.deps.db.query<Row>(`select id::text as id, kind, status, last_error, response_code, card_of::text as card_of, msgid from outbox where ref_kind = 'todo' and ref_id = $1 order by outbox.id`, [todoId])
    const inboxOf = (userid: string): InboxMessage[] => stack.sandbox.state.messages.inbox.get(userid) ?? []
    const cardIn = (userid: string, msgid: string | null) => inboxOf(userid).find((m) => m.msgid === msgid)
    const cardOf = (m: InboxMessage | undefined) => (m?.payload as { template_card: Card } | undefined)?.template_card
    const drain = () => stack.deps.outbox.drain()
    let admin: TestBrowser | undefined
    /** A save in the admin console, over HTTP as 张三 (the config is frozen: settings are how anything changes). */
    async function saveSettings(body: object) {
      if (!admin) {
        admin = new TestBrowser(UA.wecomMobile)
        await admin.go(`${stack.appUrl}/auth/login?returnTo=/`, signedInAs('zhangsan'))
      }
      return admin.request(`${stack.appUrl}/api/admin/settings`, { method: 'PUT', headers: { 'content-type': 'application/json', origin: new URL(stack.appUrl).origin }, body: JSON.stringify(body) })
    }
    /** A todo whose card reached lisi; its sending row. */
    async function delivered(externalId: string, extra: object = {}) {
      const todo = await create(externalId, extra)
      await drain()
      const [send] = await rows(todo.id)
      expect(send).toMatchObject({ kind: 'send', status: 'sent' })
      expect(send!.response_code).toBeTruthy()
      return { todo, send: send! }
    }

    it('sends a todo as a button card: due time in the corp zone, a button that opens the todo, shown in the inbox', async () => {
      const { todo, send } = await delivered('card-1', { dueAt: '2026-12-04T10:00:00+08:00', requester: 'zhangsan' })
      const m = cardIn('lisi', send.msgid)!
      const card = cardOf(m)!
      expect(card.main_title).toEqual({ title: '待办：审核合同', desc: '待处理' })
      expect(card.horizontal_content_list).toContainEqual({ keyname: '截止', value: '2026-12-04 10:00' })
      expect(card.button_list).toEqual([{ type: 1, text: '查看', style: 1, key: `todo:${todo.id}`, url: card.card_action.url }])

      const page = await (await fetch(`${stack.sandboxUrl}/sandbox/inbox/lisi`)).text()
      expect(page).toContain('2026-12-04 10:00')
      expect(page).not.toContain('02:00')
      // The client's tap on the button: a callback, then the todo opens, signed in silently.
      const b = new TestBrowser(UA.wecomMobile)
      const tap = `${stack.sandboxUrl}/sandbox/inbox/lisi/tap?msgid=${encodeURIComponent(send.msgid!)}&button=0`
      const { url } = await b.go(tap, signedInAs('lisi'))
      expect(url).toBe(`${stack.appUrl}/todos/${todo.id}`)
    })

    it('updates the card to 已处理 when the todo is done: the code is spent, the inbox shows a grey button', async () => {
      const { todo, send } = await delivered('card-done')
      await patch('card-done', { status: 'done' })
      await drain()
      const [, update] = await rows(todo.id)
      expect(update).toMatchObject({ kind: 'update', status: 'sent', card_of: send.id, last_error: null })
      expect((await rows(todo.id))[0]!.response_code).toBeNull()
      expect(cardIn('lisi', send.msgid)!.replaceName).toBe('已处理')
      const page = await (await fetch(`${stack.sandboxUrl}/sandbox/inbox/lisi`)).text()
      expect(page).toContain('data-replaced="true">已处理')
      // The updated card's button cannot be tapped any more.
      const tapped = await fetch(`${stack.sandboxUrl}/sandbox/admin/messages/tap`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userid: 'lisi', msgid: send.msgid, button: 0 }) })
      expect(tapped.status).toBe(409)
    })

    it('updates to 已取消 on cancel, and to 已转交 for the old assignee on a reassign (the new one gets a card)', async () => {
      const a = await delivered('card-cancel')
      await patch('card-cancel', { status: 'cancelled' })
      const b = await delivered('card-hand')
      await patch('card-hand', { assignee: 'wujiu' })
      await drain()
      expect(cardIn('lisi', a.send.msgid)!.replaceName).toBe('已取消')
      expect(cardIn('lisi', b.send.msgid)!.replaceName).toBe('已转交')
      const handed = await rows(b.todo.id)
      expect(handed.map((r) => [r.kind, r.status])).toEqual([['send', 'sent'], ['update', 'sent'], ['send', 'sent']])
      const wujiu = cardIn('wujiu', handed[2]!.msgid)
      expect(cardOf(wujiu)!.main_title.title).toBe('待办转给你：审核合同')
      expect(wujiu!.replaceName).toBeUndefined()
    })

    it('sends nothing for a card past 72 h, and nothing breaks', async () => {
      const { todo, send } = await delivered('card-old')
      await stack.deps.db.query(`update outbox set response_code_at = response_code_at - interval '73 hours' where id = $1`, [send.id])
      const calls = stack.sandbox.state.messages.responseCodes.size
      await patch('card-old', { status: 'done' })
      await drain()
      const [, update] = await rows(todo.id)
      expect(update).toMatchObject({ kind: 'update', status: 'failed', last_error: 'response_code older than 72 h: not sent' })
      expect(cardIn('lisi', send.msgid)!.replaceName).toBeUndefined()
      expect(stack.sandbox.state.messages.responseCodes.size).toBe(calls)
      // The todo itself is closed all the same.
      expect((await stack.deps.db.query<{ status: string }>('select status from todos where id = $1', [todo.id]))[0]!.status).toBe('done')
    })

    it('settles on WeCom’s 60140 for a code WeCom holds expired', async () => {
      const { todo, send } = await delivered('card-expired')
      skew = 73 * HOUR
      try {
        await patch('card-expired', { status: 'done' })
        await drain()
      } finally {
        skew = 0
      }
      const [card, update] = await rows(todo.id)
      expect(update).toMatchObject({ status: 'failed' })
      expect(update!.last_error).toMatch(/^errcode 60140: invalid response_code.*\(response_code spent or expired\)$/)
      expect(card!.response_code).toBeNull()
      expect(cardIn('lisi', send.msgid)!.replaceName).toBeUndefined()
    })

    it('settles on 60140 for a spent code: an update resent after a crash changes nothing', async () => {
      const { todo, send } = await delivered('card-twice')
      await patch('card-twice', { status: 'done' })
      await drain()
      const [, update] = await rows(todo.id)
      // As if the process died after WeCom took the update and before it was recorded.
      const code = [...stack.sandbox.state.messages.responseCodes].find(([, c]) => c.msgid === send.msgid)![0]
      await stack.deps.db.query(`update outbox set response_code = $2 where id = $1`, [send.id, code])
      await stack.deps.db.query(`update outbox set status = 'pending', attempts = 0 where id = $1`, [update!.id])
      await drain()
      const [, again] = await rows(todo.id)
      expect(again).toMatchObject({ status: 'failed' })
      expect(again!.last_error).toContain('errcode 60140')
      expect(cardIn('lisi', send.msgid)!.replaceName).toBe('已处理')
    })

    it('receives a tap (template_card_event), verified and recorded once; its fresh code updates a card whose own code ran out', async () => {
      const { todo, send } = await delivered('card-tap')
      await stack.deps.db.query(`update outbox set response_code_at = response_code_at - interval '73 hours' where id = $1`, [send.id])
      await patch('card-tap', { status: 'done' })
      await drain()
      expect((await rows(todo.id))[1]).toMatchObject({ status: 'failed' })

      const res = await fetch(`${stack.sandboxUrl}/sandbox/admin/messages/tap`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userid: 'lisi', msgid: send.msgid, button: 0 }) })
      const tap = (await res.json()) as { responseCode: string; delivery: { status: string } }
      expect(tap.delivery.status).toBe('delivered')
      await stack.deps.callbacks.worker.drain()
      const events = await stack.deps.db.query<{ userid: string; event_key: string; card_type: string; todo_id: string }>('select userid, event_key, card_type, todo_id from card_events where todo_id = $1', [todo.id])
      expect(events).toEqual([{ userid: 'lisi', event_key: `todo:${todo.id}`, card_type: 'button_interaction', todo_id: todo.id }])
      // The event wakes the outbox, so the update may already be on its way: wait for it either way.
      await drain()
      expect((await rows(todo.id))[1]).toMatchObject({ status: 'sent' })
      expect(cardIn('lisi', send.msgid)!.replaceName).toBe('已处理')
      // It went out with the tap's code, which is now spent.
      expect(stack.sandbox.state.messages.responseCodes.get(tap.responseCode)?.spent).toBe(true)
      expect((await rows(todo.id))[0]!.response_code).toBeNull()
    })

    it('refuses a forged tap: a bad signature records nothing', async () => {
      const before = (await stack.deps.db.query('select 1 from card_events')).length
      const plaintext = `<xml><ToUserName><![CDATA[${stack.config.wecom.corpId}]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[todo:x]]></EventKey><TaskId><![CDATA[todo-x-new]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[forged]]></ResponseCode></xml>`
      const res = await fetch(`${stack.sandboxUrl}/sandbox/admin/callbacks/raw`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ plaintext, msg_signature: '0'.repeat(40) }) })
      const { delivery } = (await res.json()) as { delivery: { attempts: { httpStatus: number }[] } }
      expect(delivery.attempts[0]!.httpStatus).toBeGreaterThanOrEqual(400)
      await stack.deps.callbacks.worker.drain()
      expect((await stack.deps.db.query('select 1 from card_events')).length).toBe(before)
    })

    it('keeps updates as suppressed while messages are switched off, like sends', async () => {
      const { todo, send } = await delivered('card-quiet')
      expect((await saveSettings({ messageEnable: false })).status).toBe(200)
      try {
        await patch('card-quiet', { status: 'done' })
        await drain()
      } finally {
        expect((await saveSettings({ messageEnable: null })).status).toBe(200)
      }
      expect((await rows(todo.id))[1]).toMatchObject({ kind: 'update', status: 'suppressed' })
      expect(cardIn('lisi', send.msgid)!.replaceName).toBeUndefined()
    })

    it('writes new texts in the zone the console sets, at once', async () => {
      expect((await saveSettings({ timeZone: 'Mars/Olympus' })).status).toBe(400)
      expect((await saveSettings({ timeZone: 'UTC' })).status).toBe(200)
      // The H5 learns it from /api/app and shows its times (audit log, sync runs, todo facts) in it.
      expect(((await (await fetch(`${stack.appUrl}/api/app`)).json()) as { timeZone: string }).timeZone).toBe('UTC')
      try {
        const { send } = await delivered('card-utc', { dueAt: '2026-12-04T10:00:00+08:00' })
        expect(cardOf(cardIn('lisi', send.msgid))!.horizontal_content_list).toContainEqual({ keyname: '截止', value: '2026-12-04 02:00' })
      } finally {
        expect((await saveSettings({ timeZone: null })).status).toBe(200)
      }
      expect(stack.deps.config.timeZone).toBe('Asia/Shanghai')
    })
  })

describeStore('PGlite', pgliteTestDb)
if (TEST_DATABASE_URL) describeStore('PostgreSQL', () => postgresTestDb(TEST_DATABASE_URL!))
else if (REQUIRE_ALL) {
  describe('todo cards [PostgreSQL]', () => {
    it('needs TEST_DATABASE_URL', () => {
      throw new Error('REQUIRE_ALL_SUITES=1 but TEST_DATABASE_URL is not set')
    })
  })
} else console.warn('\n  !!! SKIPPED: "todo cards" on PostgreSQL — set TEST_DATABASE_URL to run it.\n')

describe('todo notifications for an app that does not receive callbacks', () => {
  let stack: Stack
  beforeAll(async () => {
    // No Token/EncodingAESKey here and no 接收消息 URL in WeCom: a card with a button would get 43012.
    stack = await startStack({ env: { HOST_API_KEYS: `oa:${KEY}`, WECOM_CALLBACK_TOKEN: '', WECOM_CALLBACK_AES_KEY: '' }, sandbox: { callback: undefined } })
    expect((await syncOnce(stack)).status).toBe('succeeded')
  })
  afterAll(() => stack.close())

  it('go out as textcards, are delivered, and nothing waits for a card update that cannot come', async () => {
    const call = (method: string, path: string, body: object) =>
      fetch(`${stack.appUrl}${path}`, { method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const res = await call('POST', '/api/host/todos', { externalId: 'no-cb-1', assignee: 'lisi', title: '审核合同', link: 'https://oa.example.com/c/1', dueAt: '2026-12-04T10:00:00+08:00' })
    expect(res.status).toBe(201)
    await stack.deps.outbox.drain()
    const inbox = stack.sandbox.state.messages.inbox.get('lisi') ?? []
    const card = inbox.map((m) => m.payload as { msgtype: string; textcard?: { title: string; description: string } }).find((p) => p.textcard?.title === '待办：审核合同')
    expect(card?.msgtype).toBe('textcard')
    expect(card?.textcard?.description).toContain('截止 2026-12-04 10:00')
    expect((await call('PATCH', '/api/host/todos/no-cb-1', { status: 'done' })).status).toBe(200)
    const rows = await stack.deps.db.query<{ kind: string; status: string }>("select kind, status from outbox where ref_kind = 'todo' and ref_id = (select id from todos where external_id = 'no-cb-1')")
    expect(rows).toEqual([{ kind: 'send', status: 'sent' }])
  })
})
