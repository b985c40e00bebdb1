import { searchResultSchema } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { memberRow, sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
beforeAll(async () => {
  // No periodic look within a test: what a callback changes is seen because applying it started a rebuild.
  stack = await startStack({ directoryLookMs: 60_000 })
  expect((await syncOnce(stack)).status).toBe('succeeded')
})
afterAll(() => stack.close())

/** The sandbox delivers the callback before answering; the worker then applies the inbox. */
async function change(method: string, path: string, body?: unknown) {
  const r = (await sandboxAdmin(stack, method, `org/${path}`, body)) as { callback?: { status?: string; httpStatus?: number } }
  await stack.deps.callbacks.worker.drain()
  return r
}

const pending = async () => Number(((await stack.deps.db.query<{ n: string }>('select count(*) as n from callback_events where applied_at is null'))[0] as { n: string }).n)

describe('change_contact callbacks from the sandbox, applied per event', () => {
  it('rejects a forged callback without touching the store', async () => {
    const res = await fetch(`${stack.appUrl}/wecom/callback?msg_signature=${'ab'.repeat(20)}&timestamp=${Math.floor(Date.now() / 1000)}&nonce=1`, {
      method: 'POST',
      body: '<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[AAAA]]></Encrypt></xml>',
    })
    expect(res.status).toBe(403)
    expect(Number(((await stack.deps.db.query<{ n: string }>('select count(*) as n from callback_events'))[0] as { n: string }).n)).toBe(0)
  })

  it('create_user adds the member', async () => {
    await change('POST', 'users', { userid: 'newbie', name: '钱多多', department: [2], position: '实习生' })
    // New members are "not activated" (4) until they join WeCom.
    expect(await memberRow(stack, 'newbie')).toMatchObject({ name: '钱多多', position: '实习生', status: 4, disabled_at: null })
  })

  it('update_user applies renames and moves', async () => {
    await change('PATCH', 'users/newbie', { name: '钱多多（正式）', position: '前端工程师' })
    expect(await memberRow(stack, 'newbie')).toMatchObject({ name: '钱多多（正式）', position: '前端工程师' })
  })

  it('delete_user disables, never deletes', async () => {
    await change('DELETE', 'users/newbie')
    const row = await memberRow(stack, 'newbie')
    expect(row).toBeDefined()
    expect(row!.disabled_at).not.toBeNull()
  })

  it('create_party, update_party and delete_party', async () => {
    const { department } = (await change('POST', 'departments', { name: '回调测试部', parentid: 1, order: 1 })) as unknown as { department: { id: number } }
    const dep = async () => (await stack.deps.db.query<{ name: string; removed_at: Date | null }>('select name, removed_at from departments where id = $1', [department.id]))[0]
    expect(await dep()).toMatchObject({ name: '回调测试部', removed_at: null })
    await change('PATCH', `departments/${department.id}`, { name: '回调测试部二' })
    expect((await dep())!.name).toBe('回调测试部二')
    await change('DELETE', `departments/${department.id}`)
    expect((await dep())!.removed_at).not.toBeNull()
    expect(await pending()).toBe(0)
  })

  it('the directory API follows at once', async () => {
    await change('POST', 'users', { userid: 'fresh', name: '付新', department: [2], position: '测试工程师' })
    const v = await stack.deps.readModel.current()
    expect(v.members.get('fresh')?.name).toBe('付新')
  })

  it('search answers follow a change within moments, though the same query was answered (and cached) before', async () => {
    const b = new TestBrowser(UA.wecomMobile)
    await b.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
    const search = async (q: string) => searchResultSchema.parse(await (await b.request(`${stack.appUrl}/api/directory/search?q=${encodeURIComponent(q)}`)).json())
    expect((await search('fuxin')).items.map((m) => [m.userid, m.name])).toEqual([['fresh', '付新']])
    // Applying a callback starts a rebuild that no request waits for (read-model.test.ts): the
    // answer follows once it is built.
    const moment = { timeout: 2_000, interval: 20 }
    await change('PATCH', 'users/fresh', { name: '付新新', position: '测试组长' })
    await vi.waitFor(async () => expect((await search('fuxin')).items.map((m) => [m.userid, m.name, m.position])).toEqual([['fresh', '付新新', '测试组长']]), moment)
    await change('DELETE', 'users/fresh')
    await vi.waitFor(async () => expect(await search('fuxin')).toEqual({ items: [], total: 0 }), moment)
  })
})
