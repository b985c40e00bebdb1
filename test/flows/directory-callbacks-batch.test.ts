import { SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { memberRow, sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
  expect((await syncOnce(stack)).status).toBe('succeeded')
})
afterAll(() => stack.close())

type EventRow = { change_type: string | null; subject: string | null; applied_at: Date | null; attempts: number; retries: number; last_error: string | null }
const events = () => stack.deps.db.query<EventRow>('select change_type, subject, applied_at, attempts, retries, last_error from callback_events order by received_at')
const count = async () => (await events()).length
const userGets = async () => ((await (await fetch(`${stack.sandboxUrl}/sandbox/admin/stats`)).json()) as { calls: Record<string, number> }).calls['/cgi-bin/user/get'] ?? 0

/**
 * The changes `make` causes reach the app (acknowledged and stored) while the worker is stopped,
 * then are applied together, as a burst is. The worker is left running (the stack stops it).
 */
async function asOneBatch(make: () => Promise<void>, until: () => Promise<unknown> = () => stack.deps.callbacks.worker.drain()): Promise<void> {
  const worker = stack.deps.callbacks.worker
  await worker.stop()
  await make()
  worker.start()
  await until()
}

/** A change_contact message as WeCom seals it, for the sandbox's raw sender. */
function contactXml(changeType: string, fields: string): string {
  return (
    `<xml><ToUserName><![CDATA[${SANDBOX_DEFAULTS.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
    `<Event><![CDATA[change_contact]]></Event><ChangeType>${changeType}</ChangeType>${fields}</xml>`
  )
}
const raw = async (body: object) => ((await sandboxAdmin(stack, 'POST', 'callbacks/raw', body)) as { delivery: { attempts: Array<{ httpStatus: number | null }> } }).delivery.attempts[0]!.httpStatus

describe('change_contact callbacks in a burst, applied in batches', () => {
  // ---- failure paths first -------------------------------------------------------------------

  it('a bad signature amid a burst of good callbacks is refused and stores nothing; the good ones are all stored', async () => {
    const before = await count()
    const good = Array.from({ length: 20 }, (_, i) => raw({ plaintext: contactXml('update_user', `<UserID><![CDATA[burst${i}]]></UserID>`) }))
    const forged = raw({ plaintext: contactXml('delete_user', '<UserID><![CDATA[lisi]]></UserID>'), msg_signature: 'ab'.repeat(20) })
    const statuses = await Promise.all([...good, forged])
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200))
    expect(statuses[20]).toBe(403)
    const rows = await events()
    expect(rows).toHaveLength(before + 20)
    expect(rows.some((r) => r.change_type === 'delete_user' && r.subject === 'user:lisi')).toBe(false)
    await stack.deps.callbacks.worker.drain()
  })

  it('the same callback delivered three times at once (WeCom retries racing the original) is stored once; the repeats queue re-reads that share its one read', async () => {
    await sandboxAdmin(stack, 'POST', 'org/users', { userid: 'twice', name: '双发', department: [2] })
    await stack.deps.callbacks.worker.drain()
    const before = await count()
    const reads = await userGets()
    // A move: read back from WeCom (the event has no order in the departments), so each read shows.
    const plaintext = contactXml('update_user', '<UserID><![CDATA[twice]]></UserID><Department><![CDATA[2]]></Department><Position><![CDATA[重复]]></Position>')
    await asOneBatch(async () => {
      expect(await Promise.all([raw({ plaintext }), raw({ plaintext }), raw({ plaintext })])).toEqual([200, 200, 200])
    })
    // A repeat may as well be the same edit made again within the second (inbox.ts): it is kept as a re-read, never as a second copy.
    const rows = (await events()).slice(before)
    expect(rows.map((r) => r.change_type)).toEqual(['update_user', 'update_user', 'update_user'])
    expect(rows.every((r) => r.applied_at)).toBe(true)
    // One batch, one member: one read for the three.
    expect(await userGets()).toBe(reads + 1)
  })

  it('an event that fails (its department cannot be read) waits for its retry; the rest of its batch is applied at once', async () => {
    const before = await count()
    let partyId = 0
    await asOneBatch(async () => {
      await sandboxAdmin(stack, 'POST', 'faults', { path: '/cgi-bin/department/get', errcode: -1, times: 1 })
      await sandboxAdmin(stack, 'POST', 'org/users', { userid: 'first', name: '先来', department: [2] })
      partyId = ((await sandboxAdmin(stack, 'POST', 'org/departments', { name: '读不到的部门', parentid: 1 })) as { department: { id: number } }).department.id
      await sandboxAdmin(stack, 'POST', 'org/users', { userid: 'after', name: '后到', department: [2] })
      // Not an event anyone could apply: stays failed, with its reason, and blocks nothing.
      expect(await raw({ plaintext: contactXml('update_user', '<Position><![CDATA[无名]]></Position>') })).toBe(200)
    }, () => vi.waitFor(async () => expect((await events()).slice(before).every((r) => r.applied_at || r.last_error?.includes('without UserID'))).toBe(true), { timeout: 30_000, interval: 100 }))
    const rows = (await events()).slice(before)
    expect(rows.map((r) => r.change_type)).toEqual(['create_user', 'create_party', 'create_user', 'update_user'])
    const [first, party, after, bad] = rows as [EventRow, EventRow, EventRow, EventRow]
    expect(first.applied_at).not.toBeNull()
    expect(after.applied_at).not.toBeNull()
    // Failed once (WeCom busy: transient, so not counted toward parking), retried a second later and applied then, after the members.
    expect(party).toMatchObject({ attempts: 0, retries: 1, last_error: null })
    expect(party.applied_at!.getTime()).toBeGreaterThan(after.applied_at!.getTime())
    expect(bad.applied_at).toBeNull()
    expect(bad.attempts).toBeGreaterThanOrEqual(1)
    expect(bad.last_error).toMatch(/update_user without UserID/)
    expect(await memberRow(stack, 'first')).toMatchObject({ name: '先来', disabled_at: null })
    expect(await memberRow(stack, 'after')).toMatchObject({ name: '后到', disabled_at: null })
    expect((await stack.deps.db.query<{ name: string }>('select name from departments where id = $1', [partyId]))[0]?.name).toBe('读不到的部门')
    await stack.deps.db.query("update callback_events set attempts = 99 where applied_at is null and last_error like '%without UserID%'")
  })

  // ---- order and coalescing ---------------------------------------------------------------------

  it('create, update and delete of one member in one batch end with the member disabled, with no WeCom read', async () => {
    await sandboxAdmin(stack, 'POST', 'org/users', { userid: 'brief', name: '短暂', department: [2], status: 1 })
    await stack.deps.callbacks.worker.drain()
    expect(await memberRow(stack, 'brief')).toMatchObject({ disabled_at: null })
    const reads = await userGets()
    await asOneBatch(async () => {
      await sandboxAdmin(stack, 'PATCH', 'org/users/brief', { position: '一改' })
      await sandboxAdmin(stack, 'PATCH', 'org/users/brief', { position: '二改' })
      await sandboxAdmin(stack, 'DELETE', 'org/users/brief')
      // A brand-new member created, edited and removed within the batch never shows up.
      await sandboxAdmin(stack, 'POST', 'org/users', { userid: 'ghost', name: '过客', department: [2] })
      await sandboxAdmin(stack, 'PATCH', 'org/users/ghost', { position: '路过' })
      await sandboxAdmin(stack, 'DELETE', 'org/users/ghost')
    })
    expect((await memberRow(stack, 'brief'))!.disabled_at).not.toBeNull()
    expect(await memberRow(stack, 'ghost')).toBeUndefined()
    expect(await userGets()).toBe(reads)
    expect((await events()).filter((r) => !r.applied_at && r.attempts < 99)).toEqual([])
  })

  it('deleted then created again in one batch: the later event wins and the member is active, with no WeCom read', async () => {
    await sandboxAdmin(stack, 'POST', 'org/users', { userid: 'rehired', name: '回流', department: [2], status: 1 })
    await stack.deps.callbacks.worker.drain()
    const reads = await userGets()
    await asOneBatch(async () => {
      await sandboxAdmin(stack, 'DELETE', 'org/users/rehired')
      await sandboxAdmin(stack, 'POST', 'org/users', { userid: 'rehired', name: '回流二', department: [2], status: 1 })
      await sandboxAdmin(stack, 'PATCH', 'org/users/rehired', { position: '返聘' })
    })
    expect(await memberRow(stack, 'rehired')).toMatchObject({ name: '回流二', position: '返聘', disabled_at: null })
    // Applied from the events themselves: the create carries the whole member, the edit its change.
    expect(await userGets()).toBe(reads)
  })

  it('a batch moves the directory version once and the directory API shows all of it', async () => {
    const version = async () => Number((await stack.deps.db.query<{ version: string }>('select version from directory_state'))[0]!.version)
    const v0 = await version()
    await asOneBatch(async () => {
      for (let i = 0; i < 5; i++) await sandboxAdmin(stack, 'POST', 'org/users', { userid: `hire${i}`, name: `新人${i}`, department: [2] })
    })
    expect(await version()).toBe(v0 + 1)
    const view = await stack.deps.readModel.current()
    expect([0, 1, 2, 3, 4].map((i) => view.members.get(`hire${i}`)?.name)).toEqual(['新人0', '新人1', '新人2', '新人3', '新人4'])
  })
})
