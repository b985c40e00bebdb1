import { allEndpoints, meSchema, rolesViewSchema } from '@portal/shared'

type EndpointName = keyof typeof allEndpoints
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

/** Plausible requests: were the role check missing, these would change things. */
const BODIES: Partial<Record<EndpointName, unknown>> = {
  startSync: { kind: 'full' },
  confirmSync: {},
  adminCallbackCredentials: {},
  adminUploadVerifyFile: { name: 'WW_verify_0123456789abcdef.txt', content: '0123456789abcdef' },
  adminSaveSettings: { messageEnable: false },
  adminDoctor: {},
  adminGrantRole: { kind: 'member', target: 'wujiu', role: 'admin' },
}
const QUERIES: Partial<Record<EndpointName, string>> = {
  adminRevokeRole: '?kind=department&target=2&role=admin',
  adminAudit: '?limit=10',
}

const adminEndpoints = Object.entries(allEndpoints).filter(([, e]) => e.auth === 'admin') as [keyof typeof allEndpoints, (typeof allEndpoints)[keyof typeof allEndpoints]][]

function urlOf(name: EndpointName, path: string): string {
  const filled = path.replace(':id', '1').replace(':name', 'WW_verify_0123456789abcdef.txt').replace(/:\w+/g, 'x')
  return `${stack.appUrl}${filled}${QUERIES[name] ?? ''}`
}

function call(b: TestBrowser | undefined, name: EndpointName) {
  const e = allEndpoints[name]
  const body = BODIES[name]
  const init: RequestInit = {
    method: e.method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  }
  return b ? b.request(urlOf(name, e.path), init) : fetch(urlOf(name, e.path), init)
}

let stack: Stack
const signIn = async (userid: string) => {
  const b = new TestBrowser(UA.wecomMobile)
  await b.go(`${stack.appUrl}/auth/login`, signedInAs(userid))
  return b
}

beforeAll(async () => {
  // No ADMIN_USERIDS: the only admins are those of 研发中心 (2) and its sub-departments, by grant.
  stack = await startStack({ env: { ADMIN_USERIDS: '' }, sandbox: { callback: undefined } })
  expect((await syncOnce(stack)).status).toBe('succeeded')
  await stack.deps.db.query("insert into role_grants (kind, target, role, granted_by) values ('department', '2', 'admin', 'bootstrap')")
})
afterAll(() => stack.close())

describe('admin endpoints', () => {
  it('covers every admin endpoint of the contract', () => {
    expect(adminEndpoints.length).toBeGreaterThanOrEqual(17)
    expect(adminEndpoints.map(([n]) => n)).toEqual(expect.arrayContaining(['adminRoles', 'adminGrantRole', 'adminRevokeRole', 'adminAudit', 'syncPreview', 'startSync']))
  })

  it('answer 401 to anyone not signed in', async () => {
    for (const [name] of adminEndpoints) {
      const res = await call(undefined, name)
      expect(res.status, name).toBe(401)
      expect(await res.json(), name).toMatchObject({ error: { code: 'unauthenticated' } })
    }
  })

  it('answer 403 to a signed-in member who is not an admin, and change nothing', async () => {
    const b = await signIn('wujiu') // 客服中心: outside 研发中心
    expect(meSchema.parse(await (await b.request(`${stack.appUrl}/api/me`)).json()).roles).toEqual(['member'])
    const runsBefore = await stack.deps.db.query('select id from sync_runs')
    for (const [name] of adminEndpoints) {
      const res = await call(b, name)
      expect(res.status, name).toBe(403)
      expect(await res.json(), name).toMatchObject({ error: { code: 'forbidden' } })
    }
    expect(await stack.deps.db.query('select kind, target, role from role_grants')).toEqual([{ kind: 'department', target: '2', role: 'admin' }])
    expect(await stack.deps.db.query('select id from sync_runs')).toEqual(runsBefore)
    expect(await stack.deps.db.query('select id from admin_audit')).toEqual([])
  })

  it('let in an admin by department grant who is not in ADMIN_USERIDS, also in a sub-department', async () => {
    for (const userid of ['zhangsan', 'lisi']) {
      const b = await signIn(userid)
      expect(meSchema.parse(await (await b.request(`${stack.appUrl}/api/me`)).json()).roles, userid).toEqual(['admin', 'member'])
      const res = await call(b, 'adminRoles')
      expect(res.status, userid).toBe(200)
      const view = rolesViewSchema.parse(await res.json())
      expect(view.grants).toEqual([expect.objectContaining({ kind: 'department', target: '2', targetName: '研发中心', role: 'admin', source: 'stored' })])
    }
  })

  it('refuse to revoke the last admin grant when no ADMIN_USERIDS admin exists', async () => {
    const b = await signIn('zhangsan')
    const res = await call(b, 'adminRevokeRole')
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: { code: 'conflict', hint: expect.stringMatching(/ADMIN_USERIDS|someone else/) } })
    expect((await call(b, 'adminRoles')).status).toBe(200)
  })
})
