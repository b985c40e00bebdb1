import { apiErrorSchema, endpoints, hostTodoSchema, type HostTodo } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'
import { syncOnce } from '../support/sync'

const OA_KEY = 'oa-flow-key-0123456789abcdefghij'
const CRM_KEY = 'crm-flow-key-ZYXWVUTSRQPONMLKJI'

let stack: Stack
beforeAll(async () => {
  stack = await startStack({ env: { HOST_API_KEYS: `oa:${OA_KEY},crm:${CRM_KEY}` } })
  expect((await syncOnce(stack)).status).toBe('succeeded')
})
afterAll(() => stack.close())

type Sent = { status: number; body: unknown; headers: Headers }
async function call(method: string, path: string, body?: unknown, opts: { key?: string | null; headers?: Record<string, string> } = {}): Promise<Sent> {
  const headers: Record<string, string> = { ...opts.headers }
  if (opts.key !== null) headers.authorization ??= `Bearer ${opts.key ?? OA_KEY}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${stack.appUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) })
  return { status: res.status, body: await res.json(), headers: res.headers }
}
const post = (body: unknown, opts?: Parameters<typeof call>[3]) => call('POST', '/api/host/todos', body, opts)
const patch = (externalId: string, body: unknown, opts?: Parameters<typeof call>[3]) => call('PATCH', `/api/host/todos/${encodeURIComponent(externalId)}`, body, opts)
const notify = (body: unknown, opts?: Parameters<typeof call>[3]) => call('POST', '/api/host/notifications', body, opts)
const fieldsOf = (r: Sent) => apiErrorSchema.parse(r.body).error.fields ?? {}

const todo = (externalId: string, extra: object = {}) => ({ externalId, assignee: 'lisi', title: '审核报销单', link: 'https://oa.example.com/x/1', ...extra })

type Card = { main_title: { title: string }; horizontal_content_list?: { keyname: string; value: string }[]; card_action: { url: string }; button_list: { url: string; key: string }[] }
type OutboxRow = { userid: string; todo_id: string | null; dedupe_key: string; message: { msgtype: string; textcard?: { title: string; description: string; url: string }; text?: { content: string }; template_card?: Card } }
/** Messages sent (card updates are rows of their own, kind 'update'). */
async function outbox(where: string, params: unknown[]): Promise<OutboxRow[]> {
  const rows = await stack.deps.db.query<OutboxRow>(`select userid, ref_id as todo_id, dedupe_key, message from outbox where kind = 'send' and (${where}) order by id`, params)
  return rows.map((r) => ({ ...r, message: typeof r.message === 'string' ? JSON.parse(r.message) : r.message }))
}
/** How many todos host `oa` has under `externalId`. */
const todoCount = async (externalId: string) => (await stack.deps.db.query("select 1 from todos where source = 'host' and origin = 'oa' and ref = $1", [externalId])).length

/** The app path a link through our /auth/login returns to after sign-in. */
function returnToOf(link: string): string | null {
  const login = new URL(link)
  expect(`${login.origin}${login.pathname}`).toBe(`${stack.appUrl}/auth/login`)
  return login.searchParams.get('returnTo')
}

describe('host API authentication', () => {
  const attempts: [string, Record<string, string>][] = [
    ['no header', {}],
    ['wrong scheme', { authorization: `Basic ${OA_KEY}` }],
    ['bare key', { authorization: OA_KEY }],
    ['wrong key', { authorization: 'Bearer not-a-key-at-all-0000000000000' }],
    ['a prefix of a real key', { authorization: `Bearer ${OA_KEY.slice(0, -1)}` }],
    ['a real key extended', { authorization: `Bearer ${OA_KEY}0` }],
    ['two keys', { authorization: `Bearer ${OA_KEY} ${CRM_KEY}` }],
  ]

  it('rejects every endpoint without a valid key: 401, shared error shape, Bearer challenge', async () => {
    for (const [label, headers] of attempts) {
      for (const r of [
        await post(todo('auth-1'), { key: null, headers }),
        await patch('auth-1', { status: 'done' }, { key: null, headers }),
        await notify({ userids: ['lisi'], title: 'x' }, { key: null, headers }),
      ]) {
        expect(r.status, label).toBe(401)
        expect(apiErrorSchema.parse(r.body).error.code, label).toBe('unauthenticated')
        expect(r.headers.get('www-authenticate'), label).toMatch(/^Bearer\b/)
      }
    }
    expect(await todoCount('auth-1')).toBe(0)
    expect(await outbox("userid = 'lisi'", [])).toEqual([])
  })

  it('never logs a presented key', () => {
    const logs = stack.logs.join('\n')
    expect(logs).toContain('host API request rejected')
    for (const k of [OA_KEY, CRM_KEY, 'not-a-key-at-all', OA_KEY.slice(0, -1)]) expect(logs).not.toContain(k)
  })
})

describe('POST /api/host/todos', () => {
  it('names each bad field', async () => {
    const r = await post({ externalId: '', assignee: 3, title: 'x'.repeat(129), link: 'ftp://oa.example.com/1', dueAt: 'tomorrow', status: 'open' })
    expect(r.status).toBe(400)
    expect(fieldsOf(r)).toEqual({
      externalId: 'must not be empty',
      assignee: 'expected string',
      title: 'at most 128 characters',
      link: 'expected an http(s) URL',
      dueAt: expect.stringContaining('ISO 8601'),
      status: 'expected one of: pending, done, cancelled',
    })
    expect(fieldsOf(await post({ assignee: 'lisi' }))).toMatchObject({ externalId: 'required', title: 'required', link: 'required' })
    expect(fieldsOf(await post('{not json'))).toEqual({ body: 'expected JSON' })
    expect(fieldsOf(await post([1, 2]))).toEqual({ body: 'expected object' })
  })

  it('rejects an assignee who is not an active member, and an unknown requester', async () => {
    for (const assignee of ['nobody-here', 'wangwu', 'zhaoliu']) {
      const r = await post(todo('who-1', { assignee }))
      expect([r.status, fieldsOf(r)], assignee).toEqual([400, { assignee: 'not an active member' }])
    }
    expect(fieldsOf(await post(todo('who-1', { requester: 'ghost' })))).toEqual({ requester: 'not a member' })
    expect(await todoCount('who-1')).toBe(0)
  })

  it('creates once: the same body twice is one todo and one notification', async () => {
    const body = todo('exp-1024', { summary: '差旅 ¥1,280', requester: 'zhangsan', dueAt: '2025-07-01T18:00:00+08:00' })
    const first = await post(body)
    expect(first.status).toBe(201)
    const created = hostTodoSchema.parse(first.body)
    expect(created).toMatchObject({ externalId: 'exp-1024', assignee: 'lisi', status: 'pending', requester: 'zhangsan', dueAt: '2025-07-01T10:00:00.000Z' })
    const again = await post(body)
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
    expect(await todoCount('exp-1024')).toBe(1)

    const rows = await outbox("ref_kind = 'todo' and ref_id = $1", [created.id])
    expect(rows).toHaveLength(1)
    expect(rows[0]!.userid).toBe('lisi')
    expect(rows[0]!.message.msgtype).toBe('template_card')
    const card = rows[0]!.message.template_card!
    expect(card.horizontal_content_list).toEqual([
      { keyname: '来自', value: '张三' },
      { keyname: '截止', value: '2025-07-01 18:00' },
    ])
    expect(returnToOf(card.card_action.url)).toBe(`/todos/${created.id}`)
    expect(card.button_list).toEqual([expect.objectContaining({ url: card.card_action.url, key: `todo:${created.id}` })])
  })

  it('follows the card link: the assignee signs in silently and lands on the todo', async () => {
    const { id } = hostTodoSchema.parse((await post(todo('exp-1024-link'))).body)
    const [row] = await outbox("ref_kind = 'todo' and ref_id = $1", [id])
    const b = new TestBrowser(UA.wecomMobile)
    const { url } = await b.go(row!.message.template_card!.button_list[0]!.url, signedInAs('lisi'))
    expect(url).toBe(`${stack.appUrl}/todos/${id}`)
    const res = await b.request(`${stack.appUrl}/api/todos/${id}`)
    expect(res.status).toBe(200)
  })

  it('updates on a changed body (200) without notifying again; notify:false queues nothing', async () => {
    const { id } = hostTodoSchema.parse((await post(todo('exp-2'))).body)
    const changed = await post(todo('exp-2', { title: '审核报销单（补充材料）', status: 'done' }))
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ id, title: '审核报销单（补充材料）', status: 'done' })
    expect(await outbox("ref_kind = 'todo' and ref_id = $1", [id])).toHaveLength(1)

    const quiet = hostTodoSchema.parse((await post(todo('exp-quiet', { notify: false }))).body)
    expect(await outbox("ref_kind = 'todo' and ref_id = $1", [quiet.id])).toEqual([])
    const closed = hostTodoSchema.parse((await post(todo('exp-closed', { status: 'done' }))).body)
    expect(await outbox("ref_kind = 'todo' and ref_id = $1", [closed.id])).toEqual([])
  })

  it('wakes the outbox sender after a commit that queued a card, and only then', async () => {
    const wake = vi.spyOn(stack.deps.outbox, 'wake')
    try {
      await post(todo('wake-1'))
      expect(wake).toHaveBeenCalledTimes(1)
      await post(todo('wake-1')) // unchanged
      await post(todo('wake-2', { notify: false }))
      expect(wake).toHaveBeenCalledTimes(1)
    } finally {
      wake.mockRestore()
    }
  })

  it('keeps hosts apart: the same externalId from another host is another todo', async () => {
    const oa = hostTodoSchema.parse((await post(todo('shared-id'))).body)
    const crm = await post(todo('shared-id', { title: 'CRM 跟进' }), { key: CRM_KEY })
    expect(crm.status).toBe(201)
    expect((crm.body as HostTodo).id).not.toBe(oa.id)
    const [row] = await stack.deps.db.query<{ origin: string; source: string }>('select origin, source from todos where id = $1', [(crm.body as HostTodo).id])
    expect(row).toEqual({ origin: 'crm', source: 'host' })
  })
})

describe('PATCH /api/host/todos/:externalId', () => {
  it('answers 404 for a todo this host does not have, including another host\'s', async () => {
    expect((await patch('never-created', { status: 'done' })).status).toBe(404)
    await post(todo('oa-only'))
    const r = await patch('oa-only', { status: 'cancelled' }, { key: CRM_KEY })
    expect([r.status, apiErrorSchema.parse(r.body).error.code]).toEqual([404, 'not_found'])
    const [row] = await stack.deps.db.query<{ status: string }>("select status from todos where source = 'host' and origin = 'oa' and ref = 'oa-only'")
    expect(row!.status).toBe('pending')
  })

  it('names bad fields', async () => {
    await post(todo('patch-bad'))
    expect(fieldsOf(await patch('patch-bad', { status: 'closed', title: '' }))).toEqual({ status: 'expected one of: pending, done, cancelled', title: 'must not be empty' })
    expect(fieldsOf(await patch('patch-bad', { assignee: 'wangwu' }))).toEqual({ assignee: 'not an active member' })
  })

  it('updates only the given fields, then cancels', async () => {
    const created = hostTodoSchema.parse((await post(todo('patch-1', { summary: '原摘要', dueAt: '2025-07-01T00:00:00Z' }))).body)
    const updated = await patch('patch-1', { title: '新标题', dueAt: null })
    expect(updated.status).toBe(200)
    expect(hostTodoSchema.parse(updated.body)).toMatchObject({ id: created.id, title: '新标题', summary: '原摘要', dueAt: null, status: 'pending' })
    const cancelled = hostTodoSchema.parse((await patch('patch-1', { status: 'cancelled' })).body)
    expect(cancelled.status).toBe('cancelled')
    expect(hostTodoSchema.parse((await patch('patch-1', {})).body)).toEqual(cancelled)
  })

  it('normalizes a todo link as it arrives, on POST and PATCH', async () => {
    expect(hostTodoSchema.parse((await post(todo('link-1', { link: 'https://oa.example.com/x/报销 1?a="b"' }))).body).link).toBe('https://oa.example.com/x/%E6%8A%A5%E9%94%80%201?a=%22b%22')
    expect(hostTodoSchema.parse((await patch('link-1', { link: 'https://oa.example.com/{y}' })).body).link).toBe('https://oa.example.com/%7By%7D')
    expect(fieldsOf(await patch('link-1', { link: 'https://oa.example.com/\r\nSet-Cookie:x' }))).toEqual({ link: 'must not contain control characters (tab, newline…)' })
  })

  // Issue 10: year 0 reached PostgreSQL and answered 500.
  it('refuses a dueAt outside 1970–9999 with 400 naming it, on POST and PATCH', async () => {
    for (const dueAt of ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '1970-01-01T07:59:59+08:00']) {
      expect(fieldsOf(await post(todo('due-1', { dueAt }))), dueAt).toEqual({ dueAt: 'expected a date from 1970 to 9999' })
    }
    expect(hostTodoSchema.parse((await post(todo('due-1', { dueAt: '9999-12-31T23:59:59Z' }))).body).dueAt).toBe('9999-12-31T23:59:59.000Z')
    expect(hostTodoSchema.parse((await patch('due-1', { dueAt: '1970-01-01T00:00:00Z' })).body).dueAt).toBe('1970-01-01T00:00:00.000Z')
    expect(fieldsOf(await patch('due-1', { dueAt: '0000-01-01T00:00:00Z' }))).toEqual({ dueAt: 'expected a date from 1970 to 9999' })
  })

  it('finds externalIds that need escaping in the path', async () => {
    const externalId = '报销/2025 #7?x=1'
    const { id } = hostTodoSchema.parse((await post(todo(externalId))).body)
    expect((await patch(externalId, { status: 'done' })).body).toMatchObject({ id, externalId, status: 'done' })
  })

  it('notifies a new assignee once per (todo, assignee)', async () => {
    const { id } = hostTodoSchema.parse((await post(todo('patch-reassign'))).body)
    expect((await patch('patch-reassign', { assignee: 'wujiu' })).body).toMatchObject({ assignee: 'wujiu' })
    await patch('patch-reassign', { assignee: 'lisi' })
    await patch('patch-reassign', { assignee: 'WuJiu' })
    const rows = await outbox("ref_kind = 'todo' and ref_id = $1", [id])
    expect(rows.map((r) => r.userid)).toEqual(['lisi', 'wujiu', 'lisi'])
    expect(returnToOf(rows[1]!.message.template_card!.card_action.url)).toBe(`/todos/${id}`)
    const [row] = await stack.deps.db.query<{ assignee: string }>('select assignee from todos where id = $1', [id])
    expect(row!.assignee).toBe('wujiu') // the directory's spelling, not the host's
  })
})

describe('POST /api/host/notifications', () => {
  it('names fields and unknown or inactive members, and queues nothing then', async () => {
    expect(fieldsOf(await notify({ userids: [], title: '' }))).toEqual({ userids: 'at least 1 item(s)', title: 'must not be empty' })
    const r = await notify({ userids: ['lisi', 'ghost', 'wangwu'], title: '通知' })
    expect(r.status).toBe(400)
    expect(fieldsOf(r).userids).toMatch(/ghost, wangwu$/)
    expect((await notify({ userids: ['lisi'], title: 'x' }, { headers: { 'idempotency-key': 'x'.repeat(129) } })).status).toBe(400)
    expect(await outbox("dedupe_key like 'host:%'", [])).toEqual([])
  })

  it('queues one textcard per member, OAuth-wrapping a link to this app', async () => {
    const r = await notify({ userids: ['lisi', 'wujiu', 'LISI'], title: '目录更新', description: '请查看', url: `${stack.appUrl}/contacts?tab=1#top` }, { headers: { 'idempotency-key': 'n-1' } })
    expect([r.status, r.body]).toEqual([202, { queued: 2 }])
    const rows = await outbox("dedupe_key like 'host:oa:notify:n-1:%'", [])
    expect(rows.map((x) => x.userid).sort()).toEqual(['lisi', 'wujiu'])
    for (const row of rows) {
      expect(row.message).toMatchObject({ msgtype: 'textcard', textcard: { title: '目录更新', description: '请查看' } })
      expect(returnToOf(row.message.textcard!.url)).toBe('/contacts?tab=1#top')
    }    // Sent to both in one message/send call.
    await stack.deps.outbox.drain()
    const last = stack.sandbox.state.messages.sends.at(-1)!
    expect(last.delivered.sort()).toEqual(['lisi', 'wujiu'])
    expect(await stack.deps.db.query("select distinct status, msgid from outbox where dedupe_key like 'host:oa:notify:n-1:%'")).toEqual([{ status: 'sent', msgid: last.msgid }])
  })

  it('is idempotent with an Idempotency-Key', async () => {
    const body = { userids: ['lisi'], title: '重复', url: 'https://oa.example.com/notices/88' }
    expect((await notify(body, { headers: { 'idempotency-key': 'n-2' } })).body).toEqual({ queued: 1 })
    expect((await notify(body, { headers: { 'idempotency-key': 'n-2' } })).body).toEqual({ queued: 1 })
    const rows = await outbox("dedupe_key like 'host:oa:notify:n-2:%'", [])
    expect(rows).toHaveLength(1)
    expect(rows[0]!.message.textcard!.url).toBe('https://oa.example.com/notices/88') // not this app: as is
    // Without a key, each request is a new notification.
    await notify({ userids: ['zhouba'], title: '无键' })
    await notify({ userids: ['zhouba'], title: '无键' })
    expect(await outbox("userid = 'zhouba' and dedupe_key like 'host:%'", [])).toHaveLength(2)
  })

  // Issue 10: a url with a space or `">` was accepted (202), then refused by WeCom (45034) and never delivered.
  it('normalizes a url WeCom would refuse as it arrives, so the card is delivered', async () => {
    const r = await notify({ userids: ['lisi'], title: '维护', url: ' https://oa.example.com/notices/a b?q="><x>&r={1}|^ ' }, { headers: { 'idempotency-key': 'n-url' } })
    expect([r.status, r.body]).toEqual([202, { queued: 1 }])
    const [row] = await outbox("dedupe_key like 'host:oa:notify:n-url:%'", [])
    expect(row!.message.textcard!.url).toBe('https://oa.example.com/notices/a%20b?q=%22%3E%3Cx%3E&r=%7B1%7D%7C%5E')
    await stack.deps.outbox.drain()
    const [sent] = await stack.deps.db.query<{ status: string; last_error: string | null }>("select status, last_error from outbox where dedupe_key like 'host:oa:notify:n-url:%'")
    expect(sent).toEqual({ status: 'sent', last_error: null })
  })

  it('refuses a url that cannot be made sendable: 400 naming url, nothing queued', async () => {
    for (const url of ['https://oa.example.com/a\tb', 'https://oa.example.com/a\nb', 'https://oa.example.com/\u0000', 'javascript:alert(1)', 'https://user:pw@oa.example.com/', `https://oa.example.com/${'界'.repeat(400)}`]) {
      const r = await notify({ userids: ['lisi'], title: 'x', url }, { headers: { 'idempotency-key': 'n-bad-url' } })
      expect(r.status, url).toBe(400)
      expect(Object.keys(fieldsOf(r)), url).toEqual([url.includes('\u0000') ? 'body' : 'url'])
    }
    expect(await outbox("dedupe_key like 'host:oa:notify:n-bad-url:%'", [])).toEqual([])
  })

  it('sends text without a url, and leaves non-page app URLs alone', async () => {
    await notify({ userids: ['lisi'], title: '已打款', description: '¥1,280' }, { headers: { 'idempotency-key': 'n-3' } })
    const [text] = await outbox("dedupe_key like 'host:oa:notify:n-3:%'", [])
    expect(text!.message).toEqual({ msgtype: 'text', text: { content: '已打款\n¥1,280' } })
    const api = `${stack.appUrl}/api/todos`
    await notify({ userids: ['lisi'], title: 'api', url: api }, { headers: { 'idempotency-key': 'n-4' } })
    expect((await outbox("dedupe_key like 'host:oa:notify:n-4:%'", []))[0]!.message.textcard!.url).toBe(api)
  })
})

describe('GET /api/host/openapi.json', () => {
  it('is public OpenAPI 3.1 covering every host path, with every $ref resolving', async () => {
    const res = await fetch(`${stack.appUrl}/api/host/openapi.json`)
    expect(res.status).toBe(200)
    const doc = JSON.parse(await res.text()) as { openapi: string; paths: Record<string, unknown>; components: { securitySchemes: Record<string, { scheme: string }>; schemas: Record<string, unknown> } }
    expect(doc.openapi).toBe('3.1.0')
    const hostPaths = Object.values(endpoints).filter((e) => e.path.startsWith('/api/host/')).map((e) => e.path.replace(/:(\w+)/g, '{$1}'))
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(hostPaths)].sort())
    expect(doc.components.securitySchemes.hostKey!.scheme).toBe('bearer')
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(5)
    for (const r of refs) expect(doc.components.schemas[r], r).toBeDefined()
    expect(doc.components.schemas.HostTodoInput).toMatchObject({ required: expect.arrayContaining(['externalId', 'assignee', 'title', 'link']) })
  })
})
