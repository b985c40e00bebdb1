import { apiErrorSchema, auditListSchema, hostTodoSchema, settingsViewSchema, todoListSchema, todoSchema, type Todo } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { startStack, type Stack } from '../support/stack'
import { syncOnce } from '../support/sync'

// Issue 14 §7: a host's todos are tagged with the name people know it by, not its key's name.
const OA_KEY = 'oa-host-names-flow-key-0123456789'
const CRM_KEY = 'crm-host-names-flow-key-012345678'

describe('host display names', () => {
  let stack: Stack
  let lisi: TestBrowser
  let admin: TestBrowser
  const ids: Record<string, string> = {}
  const json = { 'content-type': 'application/json' }

  async function hostTodo(key: string, externalId: string): Promise<string> {
    const res = await fetch(`${stack.appUrl}/api/host/todos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...json },
      body: JSON.stringify({ externalId, assignee: 'lisi', title: `待办 ${externalId}`, link: `https://oa.example.com/t/${externalId}`, requester: 'zhangsan' }),
    })
    expect(res.status).toBe(201)
    return hostTodoSchema.parse(await res.json()).id
  }
  /** 李四's pending list, by todo id. */
  async function listed(): Promise<Map<string, Todo>> {
    const res = await lisi.request(`${stack.appUrl}/api/todos`)
    expect(res.status).toBe(200)
    return new Map(todoListSchema.parse(await res.json()).items.map((t) => [t.id, t]))
  }
  async function one(id: string): Promise<Todo> {
    const res = await lisi.request(`${stack.appUrl}/api/todos/${id}`)
    expect(res.status).toBe(200)
    return todoSchema.parse(await res.json())
  }
  const put = (body: unknown) =>
    admin.request(`${stack.appUrl}/api/admin/settings`, { method: 'PUT', headers: { ...json, origin: new URL(stack.appUrl).origin }, body: JSON.stringify(body) })

  beforeAll(async () => {
    stack = await startStack({ env: { HOST_API_KEYS: `oa:${OA_KEY},crm:${CRM_KEY}` } })
    expect((await syncOnce(stack)).status).toBe('succeeded')
    lisi = new TestBrowser(UA.wecomMobile)
    await lisi.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
    admin = new TestBrowser(UA.wecomMobile)
    await admin.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
    ids.oa = await hostTodo(OA_KEY, 'n-1')
    ids.crm = await hostTodo(CRM_KEY, 'n-2')
  })
  afterAll(() => stack.close())

  it('refuses a malformed name with 400 under its field, and changes nothing', async () => {
    for (const [value, problem] of [
      ['oa=', /1–16 characters, got 0/],
      ['oa OA 审批', /has no "="/],
      [`oa=${'长'.repeat(17)}`, /got 17/],
      ['oa=A,oa=B', /named twice/],
      ['o a=OA', /HOST_API_KEYS/],
      [42, /Expected text/],
    ] as const) {
      const res = await put({ hostDisplayNames: value })
      expect(res.status, String(value)).toBe(400)
      const { error } = apiErrorSchema.parse(await res.json())
      expect(error.code).toBe('bad_request')
      expect(error.fields?.hostDisplayNames, String(value)).toMatch(problem)
    }
    expect(await stack.deps.db.query("select key from settings where key = 'hostDisplayNames'")).toEqual([])
    // Until then a host shows by its key's name: no display name is sent.
    const before = await listed()
    expect(before.get(ids.oa!)).toMatchObject({ source: 'host', origin: 'oa' })
    expect(before.get(ids.oa!)).not.toHaveProperty('originName')
  })

  it('an admin names a host in the console: members see it at once, in the list and the todo; the save is audited', async () => {
    const res = await put({ hostDisplayNames: ' oa = OA 审批 ，' })
    expect(res.status).toBe(200)
    const view = settingsViewSchema.parse(await res.json())
    expect(view.fields.find((f) => f.key === 'hostDisplayNames')).toMatchObject({ value: 'oa=OA 审批', source: 'stored', locked: false, envVar: 'HOST_DISPLAY_NAMES' })

    // The list was read (and cached) before the rename: the name still shows at once.
    const after = await listed()
    expect(after.get(ids.oa!)).toMatchObject({ origin: 'oa', originName: 'OA 审批' })
    expect(after.get(ids.crm!)).toMatchObject({ origin: 'crm' })
    expect(after.get(ids.crm!)).not.toHaveProperty('originName')
    expect(await one(ids.oa!)).toMatchObject({ origin: 'oa', originName: 'OA 审批' })

    const audit = await admin.request(`${stack.appUrl}/api/admin/audit?action=settings&limit=1`)
    expect(audit.status).toBe(200)
    expect(auditListSchema.parse(await audit.json()).items[0]).toMatchObject({ actor: 'zhangsan', action: 'settings', target: 'hostDisplayNames' })
  })

  it("a new todo's WeCom card names the host the same way", async () => {
    const id = await hostTodo(OA_KEY, 'n-3')
    await stack.deps.outbox.drain()
    const [row] = await stack.deps.db.query<{ msgid: string }>("select msgid from outbox where ref_kind = 'todo' and ref_id = $1 and kind = 'send'", [id])
    const message = (stack.sandbox.state.messages.inbox.get('lisi') ?? []).find((m) => m.msgid === row?.msgid)
    expect((message?.payload as { template_card?: { source: { desc: string } } }).template_card?.source).toEqual({ desc: 'OA 审批' })
  })

  it('clearing the setting brings back the key name', async () => {
    expect((await put({ hostDisplayNames: null })).status).toBe(200)
    expect(await one(ids.oa!)).not.toHaveProperty('originName')
  })
})

describe('host display names from env', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack({ env: { HOST_API_KEYS: `oa:${OA_KEY}`, HOST_DISPLAY_NAMES: 'oa=OA 审批' } })
  })
  afterAll(() => stack.close())

  it('lock the setting: the console shows it from env and refuses to change it, naming the variable', async () => {
    await syncOnce(stack)
    const admin = new TestBrowser(UA.wecomMobile)
    await admin.go(`${stack.appUrl}/auth/login`, signedInAs('zhangsan'))
    const view = settingsViewSchema.parse(await (await admin.request(`${stack.appUrl}/api/admin/settings`)).json())
    expect(view.fields.find((f) => f.key === 'hostDisplayNames')).toMatchObject({ value: 'oa=OA 审批', source: 'env', locked: true })
    const res = await admin.request(`${stack.appUrl}/api/admin/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: new URL(stack.appUrl).origin },
      body: JSON.stringify({ hostDisplayNames: 'oa=别的名字' }),
    })
    expect(res.status).toBe(400)
    expect(apiErrorSchema.parse(await res.json()).error.fields?.hostDisplayNames).toMatch(/HOST_DISPLAY_NAMES/)
    expect(stack.deps.settings.get('hostDisplayNames').oa).toBe('OA 审批')
  })
})
