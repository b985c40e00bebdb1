import { auditListSchema, meSchema, rolesViewSchema, syncPreviewSchema, syncRunSchema, type SyncRun } from '@portal/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs, TestBrowser, UA } from '../support/browser'
import { sandboxAdmin, syncOnce } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

let stack: Stack
let admin: TestBrowser

async function signIn(userid: string): Promise<{ b: TestBrowser; url: URL }> {
  const b = new TestBrowser(UA.wecomMobile)
  const { url } = await b.go(`${stack.appUrl}/auth/login?returnTo=/home`, signedInAs(userid))
  return { b, url: new URL(url) }
}

async function api(b: TestBrowser, method: string, path: string, body?: unknown) {
  const res = await b.request(`${stack.appUrl}${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

const grant = (kind: string, target: string, role: string) => api(admin, 'POST', '/api/admin/roles/grants', { kind, target, role })
const revoke = (kind: string, target: string, role: string) => api(admin, 'DELETE', `/api/admin/roles/grants?kind=${kind}&target=${target}&role=${role}`)
const rolesOf = async (b: TestBrowser) => meSchema.parse(await (await b.request(`${stack.appUrl}/api/me`)).json()).roles

beforeAll(async () => {
  // Explicit policy: nobody but ADMIN_USERIDS (张三) may use the app without a grant. No callbacks:
  // the held-run test narrows the visible range and must see it only through a sync.
  stack = await startStack({ env: { ROLE_POLICY: 'explicit' }, sandbox: { callback: undefined } })
  expect((await syncOnce(stack)).status).toBe('succeeded')
  admin = (await signIn('zhangsan')).b
})
afterAll(() => stack.close())

describe('roles', () => {
  it('refuses bad grants with the field named', async () => {
    expect(await grant('team', 'lisi', 'admin')).toMatchObject({ status: 400, body: { error: { code: 'bad_request', fields: { kind: expect.any(String) } } } })
    expect(await grant('member', 'nobody-here', 'member')).toMatchObject({ status: 400, body: { error: { fields: { target: 'unknown member' } } } })
    expect(await grant('department', '999999', 'member')).toMatchObject({ status: 400, body: { error: { fields: { target: 'unknown department' } } } })
    expect(await api(admin, 'DELETE', '/api/admin/roles/grants?kind=member&target=lisi')).toMatchObject({ status: 400, body: { error: { fields: { role: expect.any(String) } } } })
    expect((await revoke('member', 'lisi', 'member')).status).toBe(404)
    // ADMIN_USERIDS cannot be revoked here.
    expect(await revoke('member', 'zhangsan', 'admin')).toMatchObject({ status: 409, body: { error: { hint: expect.stringContaining('ADMIN_USERIDS') } } })
  })

  it('without a grant a member is sent to the no-role page naming the admins, department admins too', async () => {
    expect((await grant('department', '7', 'admin')).status).toBe(200) // 产品部, led by 周八
    try {
      const { b, url } = await signIn('lisi')
      expect(url.pathname).toBe('/problem')
      expect(url.searchParams.get('reason')).toBe('no_role')
      const contacts = url.searchParams.get('contact')!.split('、')
      expect(contacts[0]).toBe('张三')
      expect(contacts).toContain('周八')
      expect(contacts.length).toBeLessThanOrEqual(5)
      expect(b.cookie('localhost', 'wp_sid')).toBeUndefined()
    } finally {
      expect((await revoke('department', '7', 'admin')).status).toBe(200)
    }
  })

  it('a department grant reaches members of its sub-departments, not other departments', async () => {
    const res = await grant('department', '2', 'member') // 研发中心 ⊃ 前端组 (李四)
    expect(res.status).toBe(200)
    const view = rolesViewSchema.parse(res.body)
    expect(view).toMatchObject({ policy: 'explicit', policyLocked: true })
    expect(view.grants).toEqual([
      expect.objectContaining({ kind: 'member', target: 'zhangsan', targetName: '张三', role: 'admin', source: 'env' }),
      expect.objectContaining({ kind: 'department', target: '2', targetName: '研发中心', role: 'member', grantedBy: 'zhangsan', source: 'stored' }),
    ])
    const lisi = await signIn('lisi')
    expect(lisi.url.pathname).toBe('/home')
    expect(await rolesOf(lisi.b)).toEqual(['member'])
    expect((await signIn('wujiu')).url.searchParams.get('reason')).toBe('no_role') // 客服中心
    expect((await api(lisi.b, 'GET', '/api/admin/roles')).status).toBe(403)
  })

  it('a revoke takes effect for signed-in members at once, not when their cached roles expire', async () => {
    const { b } = await signIn('lisi')
    expect(await rolesOf(b)).toEqual(['member']) // now cached for this session
    expect((await grant('member', 'lisi', 'admin')).status).toBe(200)
    expect(await rolesOf(b)).toEqual(['admin', 'member'])
    expect((await api(b, 'GET', '/api/admin/roles')).status).toBe(200)
    expect((await revoke('member', 'lisi', 'admin')).status).toBe(200)
    expect((await revoke('department', '2', 'member')).status).toBe(200)
    const me = await api(b, 'GET', '/api/me')
    expect(me).toMatchObject({ status: 403, body: { error: { code: 'forbidden', hint: expect.stringContaining('张三') } } })
  })

  it('logs grants and revocations with who did them, newest first, in pages', async () => {
    const { body } = await api(admin, 'GET', '/api/admin/audit?action=grant,revoke&limit=3')
    const page = auditListSchema.parse(body).items
    expect(page.map((e) => [e.action, e.target, e.detail])).toEqual([
      ['revoke', '研发中心 (department 2)', 'member'],
      ['revoke', '李四 (lisi)', 'admin'],
      ['grant', '李四 (lisi)', 'admin'],
    ])
    for (const e of page) expect(e).toMatchObject({ actor: 'zhangsan', actorName: '张三' })
    const next = auditListSchema.parse((await api(admin, 'GET', `/api/admin/audit?action=grant,revoke&before=${page[2]!.id}`)).body).items
    expect(next.map((e) => [e.action, e.target])).toEqual([
      ['grant', '研发中心 (department 2)'],
      ['revoke', '产品部 (department 7)'],
      ['grant', '产品部 (department 7)'],
    ])
    expect((await api(admin, 'GET', '/api/admin/audit?action=bogus')).status).toBe(400)
    expect((await api(admin, 'GET', '/api/admin/audit?limit=0')).status).toBe(400)
  })
})

describe('sync control', () => {
  async function settle(id: number): Promise<SyncRun> {
    for (let i = 0; i < 200; i++) {
      const run = syncRunSchema.parse((await api(admin, 'GET', `/api/admin/sync/runs/${id}`)).body)
      if (run.status !== 'running') return run
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`run ${id} still running`)
  }

  it('previews only held runs', async () => {
    expect((await api(admin, 'GET', '/api/admin/sync/runs/999999/preview')).status).toBe(404)
    const [last] = await stack.deps.db.query<{ id: number }>("select id from sync_runs where status = 'succeeded' order by id desc limit 1")
    expect(await api(admin, 'GET', `/api/admin/sync/runs/${last!.id}/preview`)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } })
  })

  it('shows who a held run would disable, and logs the start and the confirmation', async () => {
    // Only 研发中心 stays visible: everyone else would be disabled.
    await sandboxAdmin(stack, 'POST', 'settings', { visibleRange: { departments: [2], users: [] } })
    const started = await api(admin, 'POST', '/api/admin/sync/runs', { kind: 'full' })
    expect(started.status).toBe(202)
    const held = await settle(syncRunSchema.parse(started.body).id)
    expect(held.status).toBe('held')
    expect(held.hold).toEqual({ wouldDisable: expect.any(Number), members: expect.any(Number), maxShare: 0.2 }) // no sample in the run itself

    const preview = syncPreviewSchema.parse((await api(admin, 'GET', `/api/admin/sync/runs/${held.id}/preview`)).body)
    expect(preview).toMatchObject({ runId: held.id, wouldDisable: held.hold!.wouldDisable })
    expect(preview.sample).toHaveLength(Math.min(100, held.hold!.wouldDisable))
    const wujiu = preview.sample.find((s) => s.userid === 'wujiu')
    const inSample = new Set(preview.sample.map((s) => s.userid))
    // Everyone outside 研发中心 the run would disable, whatever their WeCom status; 周八 (also in
    // 研发中心) is not at risk.
    for (const safe of ['zhangsan', 'lisi', 'zhouba']) expect(inSample.has(safe), safe).toBe(false)
    if (wujiu) expect(wujiu).toEqual({ userid: 'wujiu', name: '吴九', department: '客服中心' })
    for (const s of preview.sample) {
      const [row] = await stack.deps.db.query<{ name: string; dep: string; disabled: boolean }>(
        'select m.name, d.name as dep, m.disabled_at is not null as disabled from members m join departments d on d.id = m.main_department where m.userid = $1',
        [s.userid],
      )
      expect({ name: s.name, department: s.department, disabled: row!.disabled }, s.userid).toEqual({ name: row!.name, department: row!.dep, disabled: false })
    }

    const confirmed = await api(admin, 'POST', `/api/admin/sync/runs/${held.id}/confirm`)
    expect(confirmed.status).toBe(202)
    const done = await settle(syncRunSchema.parse(confirmed.body).id)
    expect(done.status).toBe('succeeded')
    expect(done.counts.membersDisabled).toBe(held.hold!.wouldDisable)
    expect((await api(admin, 'GET', `/api/admin/sync/runs/${held.id}/preview`)).status).toBe(409) // confirmed: no longer held
    expect(syncRunSchema.parse((await api(admin, 'GET', `/api/admin/sync/runs/${held.id}`)).body)).toMatchObject({ status: 'confirmed', hold: { confirmedBy: done.id } })

    const audit = auditListSchema.parse((await api(admin, 'GET', '/api/admin/audit?action=sync_start,sync_confirm')).body).items
    expect(audit.map((e) => [e.action, e.actor, e.target])).toEqual([
      ['sync_confirm', 'zhangsan', `run ${held.id}`],
      ['sync_start', 'zhangsan', `run ${held.id}`],
    ])
    await sandboxAdmin(stack, 'POST', 'settings', { visibleRange: { departments: [1], users: [] } })
  })

  it('lists runs newest first, paged by keyset (before=<id>): a run started between pages shifts nothing', async () => {
    expect(await api(admin, 'GET', '/api/admin/sync/runs?before=abc')).toMatchObject({ status: 400, body: { error: { fields: { before: expect.any(String) } } } })
    const all = (await api(admin, 'GET', '/api/admin/sync/runs?limit=100')).body.items as SyncRun[]
    expect(all.length).toBeGreaterThanOrEqual(1)
    const first = (await api(admin, 'GET', '/api/admin/sync/runs?limit=1')).body.items as SyncRun[]
    await settle(syncRunSchema.parse((await api(admin, 'POST', '/api/admin/sync/runs', { kind: 'full' })).body).id)
    const rest = (await api(admin, 'GET', `/api/admin/sync/runs?limit=100&before=${first[0]!.id}`)).body.items as SyncRun[]
    expect([...first, ...rest].map((r) => r.id)).toEqual(all.map((r) => r.id))
  })
})
