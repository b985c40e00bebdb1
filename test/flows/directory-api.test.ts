import { departmentTreeSchema, memberDetailSchema, memberPageSchema, searchResultSchema, type DepartmentNode } from '@portal/shared'
import { get as httpGet, type IncomingHttpHeaders } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
let b: TestBrowser
const get = async (path: string) => {
  const res = await b.request(`${stack.appUrl}${path}`)
  return { status: res.status, body: (await res.json()) as unknown }
}

beforeAll(async () => {
  stack = await startStack()
  expect((await syncOnce(stack)).status).toBe('succeeded')
  b = new TestBrowser(UA.wecomMobile)
  await b.go(`${stack.appUrl}/auth/login`, signedInAs('lisi'))
})
afterAll(() => stack.close())

describe('directory API', () => {
  it('is for signed-in members only', async () => {
    for (const path of ['/api/directory/departments', '/api/directory/departments/1/members', '/api/directory/search?q=zs', '/api/directory/members/zhangsan']) {
      expect((await fetch(`${stack.appUrl}${path}`)).status).toBe(401)
    }
  })

  it('rejects bad parameters with the field named, and unknown things with 404', async () => {
    expect(await get('/api/directory/departments/1/members?limit=0')).toMatchObject({ status: 400, body: { error: { code: 'bad_request', fields: { limit: expect.any(String) } } } })
    expect((await get('/api/directory/departments/999999/members')).status).toBe(404)
    expect((await get('/api/directory/members/nobody-here')).status).toBe(404)
    expect((await get('/api/directory/members/wangwu')).status).toBe(404) // quit: not listed
    expect((await get(`/api/directory/search?q=${'x'.repeat(65)}`)).status).toBe(400)
  })

  it('returns the department tree with counts', async () => {
    const { status, body } = await get('/api/directory/departments')
    expect(status).toBe(200)
    const tree = departmentTreeSchema.parse(body)
    expect(tree.syncedAt).not.toBeNull()
    expect(tree.roots).toHaveLength(1)
    const root = tree.roots[0]!
    expect(root.parentId === null || root.parentId === 0 || typeof root.parentId === 'number').toBe(true)
    const sum = (n: DepartmentNode): number => n.memberCount + n.children.reduce((s, c) => s + sum(c), 0)
    expect(root.totalCount).toBeGreaterThanOrEqual(200)
    expect(root.totalCount).toBeLessThanOrEqual(sum(root)) // people in two departments count once
  })

  it('sends the tree gzipped to a client that accepts it, plain to one that does not, and a 304 to one that holds it', async () => {
    const cookie = `wp_sid=${b.cookie(new URL(stack.appUrl).hostname, 'wp_sid')!.value}`
    const raw = (headers: Record<string, string>) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        // node:http, not fetch: fetch would ask for gzip itself and hide what came over the wire.
        httpGet(`${stack.appUrl}/api/directory/departments`, { headers: { cookie, ...headers } }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (d: Buffer) => chunks.push(d))
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
        }).on('error', reject)
      })
    const plain = await raw({})
    expect(plain.status).toBe(200)
    expect(plain.headers['content-encoding']).toBeUndefined()
    const tree = departmentTreeSchema.parse(JSON.parse(plain.body.toString('utf8')))
    for (const accept of ['gzip', 'br, gzip;q=0.8, deflate', '*']) {
      const zipped = await raw({ 'accept-encoding': accept })
      expect(zipped.headers['content-encoding'], accept).toBe('gzip')
      expect(zipped.headers.vary).toMatch(/accept-encoding/i)
      expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(tree)
    }
    for (const refuse of ['identity', 'gzip;q=0', 'br', '*;q=0']) expect((await raw({ 'accept-encoding': refuse })).headers['content-encoding'], refuse).toBeUndefined()

    const etag = plain.headers.etag!
    expect(etag).toMatch(/^"tree-\d+-\d+"$/)
    const held = await raw({ 'if-none-match': etag, 'accept-encoding': 'gzip' })
    expect(held.status).toBe(304)
    expect(held.body.length).toBe(0)
    expect((await raw({ 'if-none-match': `W/${etag}, "other"` })).status).toBe(304)
    expect((await raw({ 'if-none-match': '"tree-0-0"' })).status).toBe(200)
    // Signed out: refused before any of this.
    expect((await raw({ cookie: '', 'if-none-match': etag })).status).toBe(401)

    // After a sync that changes the directory, the tag moves and the held copy is not confirmed.
    await sandboxAdmin(stack, 'PATCH', 'org/users/lisi', { position: '树形测试' })
    expect((await syncOnce(stack)).status).toBe('succeeded')
    const after = await raw({ 'if-none-match': etag })
    expect(after.status).toBe(200)
    expect(after.headers.etag).not.toBe(etag)
  })

  it('pages department members in a stable order', async () => {
    const first = memberPageSchema.parse((await get('/api/directory/departments/1/members?limit=2')).body)
    const tree = departmentTreeSchema.parse((await get('/api/directory/departments')).body)
    const dep = tree.roots[0]!.children.find((c) => c.memberCount >= 3)!
    const p1 = memberPageSchema.parse((await get(`/api/directory/departments/${dep.id}/members?limit=2`)).body)
    expect(p1.items).toHaveLength(2)
    expect(p1.total).toBe(dep.memberCount)
    const p2 = memberPageSchema.parse((await get(`/api/directory/departments/${dep.id}/members?limit=2&cursor=${p1.nextCursor}`)).body)
    expect(p2.items[0]!.userid).not.toBe(p1.items[0]!.userid)
    expect(first.total).toBeGreaterThanOrEqual(0)
  })

  it('finds 张三 by initials, full pinyin, name, userid and position', async () => {
    for (const q of ['zs', 'zhangsan', '张三', 'ZhangSan', 'zhang san']) {
      const r = searchResultSchema.parse((await get(`/api/directory/search?q=${encodeURIComponent(q)}`)).body)
      expect(r.items[0]?.userid, q).toBe('zhangsan')
    }
    const byPosition = searchResultSchema.parse((await get(`/api/directory/search?q=${encodeURIComponent('技术总监')}`)).body)
    expect(byPosition.items.map((m) => m.userid)).toContain('zhangsan')
    expect(searchResultSchema.parse((await get('/api/directory/search?q=')).body)).toEqual({ items: [], total: 0 })
  })

  it('shows a member card with department paths and leaders', async () => {
    const m = memberDetailSchema.parse((await get('/api/directory/members/lisi')).body)
    expect(m.name).toBe('李四')
    expect(m.departments[0]!.path.length).toBeGreaterThanOrEqual(2)
    expect(m.mobile).toBeUndefined() // a post-2022 member: WeCom returns no mobile
  })
})
