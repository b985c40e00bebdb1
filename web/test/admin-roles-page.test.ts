import { describe, expect, it } from 'vitest'
import { flushPromises, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import type { RoleGrant, RolesView } from '@portal/shared'
import { jsonResponse } from './fixtures'
import { adminFetch, sentBodies, settingsView, type Handler } from './admin-setup-fixtures'
import { auditEntry, grant, rolesView } from './admin-ops-fixtures'
import { sampleTree } from './directory-fixtures'
import { mountRoutes } from './route-mount'
import { usePageEnv } from './page-env'
import { eventually } from './wait'
import { useI18n } from '../src/i18n/use-i18n'
import { loadAdminEnglish } from '../src/i18n/admin/use-admin-i18n'

let wrapper: VueWrapper | undefined
const fetchMock = usePageEnv(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})

const audit = [auditEntry({ id: 30 }), auditEntry({ id: 29, action: 'policy', target: 'rolePolicy', detail: 'explicit → all-members', actor: 'lisi', actorName: '李四' })]

function stubApi(over: Record<string, Handler> = {}): void {
  fetchMock.mockImplementation(
    adminFetch({
      'GET /api/admin/roles': () => jsonResponse(200, rolesView()),
      'GET /api/admin/settings': () => jsonResponse(200, settingsView()),
      'GET /api/admin/audit': () => jsonResponse(200, { items: audit }),
      'GET /api/directory/departments': () => jsonResponse(200, sampleTree()),
      'GET /api/directory/search': (_init, url) =>
        jsonResponse(200, new URL(url, 'http://l').searchParams.get('q') === 'wang'
          ? { items: [{ userid: 'wangwu', name: '王五', position: '测试', mainDepartment: { id: 3, name: '市场部' } }], total: 1 }
          : { items: [], total: 0 }),
      ...over,
    }),
  )
}

async function open(): Promise<VueWrapper> {
  ;({ wrapper } = await mountRoutes('/admin/roles'))
  await flushPromises()
  return wrapper
}

const calls = (method: string, path: string) =>
  fetchMock.mock.calls.filter(([u, init]) => (init?.method ?? 'GET') === method && new URL(String(u), 'http://l').pathname === path).map(([u]) => String(u))
const visibleDialog = (w: VueWrapper, test: string) => w.findAll(`[data-test="${test}"]`).find((d) => d.isVisible())!
const grantRow = (w: VueWrapper, name: string) => w.findAll('[data-test="grant"]').find((g) => g.text().includes(name))!
const notice = (w: VueWrapper) => w.find('[data-test="roles-notice"]')

async function revoke(w: VueWrapper, row: DOMWrapper<Element>): Promise<void> {
  await row.find('[data-test="grant-revoke"]').trigger('click')
  await flushPromises()
  await visibleDialog(w, 'revoke-dialog').find('.van-dialog__confirm').trigger('click')
  await flushPromises()
}

describe('AdminRolesPage: failures first', () => {
  it('a failed load shows the error with retry', async () => {
    let fail = true
    stubApi({ 'GET /api/admin/roles': () => (fail ? jsonResponse(500, {}) : jsonResponse(200, rolesView())) })
    const w = await open()
    expect(w.find('[data-test="roles-load-error"]').exists()).toBe(true)
    fail = false
    await w.find('.load-error__button').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-test="grant"]')).toHaveLength(3)
  })

  it('revoking the last admin (409) says so plainly and keeps the grant', async () => {
    stubApi({ 'DELETE /api/admin/roles/grants': () => jsonResponse(409, { error: { code: 'conflict', message: 'This would remove the last admin.' } }) })
    const w = await open()
    await revoke(w, grantRow(w, '李四'))
    expect(notice(w).attributes('role')).toBe('alert')
    expect(notice(w).text()).toContain('不能撤销：这是最后一位管理员。')
    expect(notice(w).text()).toContain('请先为其他成员授予管理员角色')
    expect(grantRow(w, '李四').exists()).toBe(true)
  })

  it('a policy pinned by env is shown, not offered, and names the variable', async () => {
    stubApi({
      'GET /api/admin/roles': () => jsonResponse(200, rolesView({ policy: 'explicit', policyLocked: true })),
      'GET /api/admin/settings': () => jsonResponse(200, settingsView({}, { rolePolicy: { value: 'explicit', source: 'env', locked: true } })),
    })
    const w = await open()
    expect(w.find('[data-test="policy-locked"]').text()).toContain('环境变量 ROLE_POLICY')
    expect(w.find('[data-test="policy-all-members"]').attributes('disabled')).toBeDefined()
    expect(w.find('[data-test="policy-explicit"]').attributes('aria-checked')).toBe('true')
  })

  it('saving a policy that env pinned meanwhile (400) explains and reloads', async () => {
    let locked = false
    stubApi({
      'GET /api/admin/roles': () => jsonResponse(200, rolesView({ policyLocked: locked })),
      'PUT /api/admin/settings': () => {
        locked = true
        return jsonResponse(400, { error: { code: 'bad_request', message: 'locked', fields: { rolePolicy: 'Set by ROLE_POLICY.' } } })
      },
    })
    const w = await open()
    await w.find('[data-test="policy-explicit"]').trigger('click')
    await flushPromises()
    await visibleDialog(w, 'policy-dialog').find('.van-dialog__confirm').trigger('click')
    await flushPromises()
    expect(notice(w).text()).toContain('使用范围由环境变量 ROLE_POLICY 固定')
    expect(w.find('[data-test="policy-locked"]').exists()).toBe(true)
  })

  it('a grant the BFF refuses keeps the sheet open with the reason', async () => {
    stubApi({ 'POST /api/admin/roles/grants': () => jsonResponse(404, { error: { code: 'not_found', message: 'No such member in the directory.' } }) })
    const w = await open()
    await w.find('[data-test="grant-add"]').trigger('click')
    await flushPromises()
    await w.find('[data-test="grant-query"]').setValue('wang')
    await eventually(() => expect(w.findAll('[data-test="grant-option"]')).toHaveLength(1))
    await w.find('[data-test="grant-option"]').trigger('click')
    await w.find('[data-test="grant-submit"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test="grant-error"]').text()).toBe('No such member in the directory.')
    expect(w.find('[data-test="grant-sheet"]').isVisible()).toBe(true)
  })

  it('an audit log that fails to load offers a retry', async () => {
    let fail = true
    stubApi({ 'GET /api/admin/audit': () => (fail ? jsonResponse(500, {}) : jsonResponse(200, { items: audit })) })
    const w = await open()
    expect(w.find('[data-test="audit-error"]').text()).toContain('变更记录加载失败')
    fail = false
    await w.find('[data-test="audit-more"]').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-test="audit-entry"]')).toHaveLength(2)
  })
})

describe('AdminRolesPage', () => {
  it('groups grants by role with their kind; env grants cannot be revoked', async () => {
    stubApi()
    const w = await open()
    const admins = w.find('[data-test="grants-admin"]')
    const members = w.find('[data-test="grants-member"]')
    expect(admins.findAll('[data-test="grant"]').map((g) => g.find('.role-grants__name').text())).toEqual(['张三', '李四'])
    expect(members.find('[data-test="grant"]').text()).toContain('质量组')
    expect(members.find('[data-test="grant"]').text()).toContain('含下级部门')
    expect(members.find('.van-icon-cluster-o').exists()).toBe(true)
    const env = grantRow(w, '张三')
    expect(env.find('[data-test="grant-env"]').text()).toContain('不可撤销')
    expect(env.find('[data-test="grant-revoke"]').exists()).toBe(false)
    expect(grantRow(w, '李四').find('[data-test="grant-revoke"]').exists()).toBe(true)
  })

  it('grants a member found by search, and the list and log update', async () => {
    const next: RolesView = rolesView()
    next.grants.push(grant({ target: 'wangwu', targetName: '王五' }))
    stubApi({ 'POST /api/admin/roles/grants': () => jsonResponse(200, next) })
    const w = await open()
    await w.find('[data-test="grant-add"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test="grant-submit"]').attributes('disabled')).toBeDefined()
    await w.find('[data-test="grant-query"]').setValue('wang')
    await eventually(() => expect(w.findAll('[data-test="grant-option"]')).toHaveLength(1))
    await w.find('[data-test="grant-option"]').trigger('click')
    expect(w.find('[data-test="grant-submit"]').text()).toBe('授予 王五「管理员」')
    await w.find('[data-test="grant-submit"]').trigger('click')
    await flushPromises()
    expect(sentBodies(fetchMock.mock.calls, 'POST', '/api/admin/roles/grants')).toEqual([{ kind: 'member', target: 'wangwu', role: 'admin' }])
    expect(notice(w).text()).toBe('已授予 王五「管理员」角色')
    expect(w.find('[data-test="grants-admin"]').text()).toContain('王五')
    expect(calls('GET', '/api/admin/audit')).toHaveLength(2)
  })

  it('grants a whole department, picked from the tree, the member role', async () => {
    stubApi({ 'POST /api/admin/roles/grants': () => jsonResponse(200, rolesView()) })
    const w = await open()
    await w.find('[data-test="grant-add"]').trigger('click')
    await w.find('[data-test="grant-kind-department"]').trigger('click')
    await flushPromises()
    const options = () => w.findAll('[data-test="grant-option"]')
    expect(options().map((o) => o.text())).toEqual(['星河科技有限公司', '研发中心', '平台研发部', '前端组', '市场部'])
    await w.find('[data-test="grant-query"]').setValue('平台')
    expect(options().map((o) => o.find('.role-sheet__name').text())).toEqual(['平台研发部', '前端组'])
    await options()[0]!.trigger('click')
    await w.find('[data-test="grant-role-member"]').trigger('click')
    await w.find('[data-test="grant-submit"]').trigger('click')
    await flushPromises()
    expect(sentBodies(fetchMock.mock.calls, 'POST', '/api/admin/roles/grants')).toEqual([{ kind: 'department', target: '5', role: 'member' }])
  })

  it('revokes after a confirmation, naming what is revoked', async () => {
    const after = rolesView({ grants: rolesView().grants.filter((g: RoleGrant) => g.target !== 'lisi') })
    stubApi({ 'DELETE /api/admin/roles/grants': () => jsonResponse(200, after) })
    const w = await open()
    await grantRow(w, '李四').find('[data-test="grant-revoke"]').trigger('click')
    await flushPromises()
    expect(visibleDialog(w, 'revoke-dialog').text()).toContain('李四 将失去「管理员」角色')
    await visibleDialog(w, 'revoke-dialog').find('.van-dialog__cancel').trigger('click')
    await flushPromises()
    expect(calls('DELETE', '/api/admin/roles/grants')).toEqual([])

    await revoke(w, grantRow(w, '李四'))
    expect(calls('DELETE', '/api/admin/roles/grants')).toEqual(['/api/admin/roles/grants?kind=member&target=lisi&role=admin'])
    expect(w.findAll('[data-test="grant"]').some((g) => g.text().includes('李四'))).toBe(false)
    expect(notice(w).text()).toBe('已撤销 李四 的「管理员」角色')
  })

  it('switches the policy after a confirmation', async () => {
    stubApi({ 'PUT /api/admin/settings': () => jsonResponse(200, settingsView({}, { rolePolicy: { value: 'explicit' } })) })
    const w = await open()
    await w.find('[data-test="policy-explicit"]').trigger('click')
    await flushPromises()
    expect(visibleDialog(w, 'policy-dialog').text()).toContain('只有被授予角色的成员和部门能使用本应用')
    await visibleDialog(w, 'policy-dialog').find('.van-dialog__confirm').trigger('click')
    await flushPromises()
    expect(sentBodies(fetchMock.mock.calls, 'PUT', '/api/admin/settings')).toEqual([{ rolePolicy: 'explicit' }])
    expect(w.find('[data-test="policy-explicit"]').attributes('aria-checked')).toBe('true')
  })

  it('shows the audit log newest first and pages on with before=<last id>', async () => {
    const page2 = [auditEntry({ id: 12, action: 'revoke', target: 'department 5 → member' })]
    stubApi({
      'GET /api/admin/audit': (_init, url) =>
        jsonResponse(200, { items: new URL(url, 'http://l').searchParams.get('before') === '29' ? page2 : Array.from({ length: 20 }, (_, i) => auditEntry({ id: 48 - i })) }),
    })
    const w = await open()
    const entries = () => w.findAll('[data-test="audit-entry"]')
    expect(entries()).toHaveLength(20)
    expect(entries()[0]!.text()).toContain('授予角色')
    expect(entries()[0]!.text()).toContain('张三')
    await w.find('[data-test="audit-more"]').trigger('click')
    await flushPromises()
    expect(calls('GET', '/api/admin/audit').at(-1)).toBe('/api/admin/audit?limit=20&before=29')
    expect(entries()).toHaveLength(21)
    expect(entries()[20]!.text()).toContain('撤销角色')
    // A short page means the end.
    expect(w.find('[data-test="audit-more"]').exists()).toBe(false)
  })

  describe('the audit log in the admin\'s language', () => {
    // Entries exactly as the BFF writes them.
    const written = [
      auditEntry({ id: 5, action: 'sync_confirm', target: 'run 4', detail: 'run 5 may disable up to 145' }),
      auditEntry({ id: 4, action: 'settings', target: 'syncCron,forceSyncCron' }),
      auditEntry({ id: 3, action: 'settings', target: 'rolePolicy' }),
      auditEntry({ id: 2, action: 'sync_start', target: 'run 3', detail: 'force' }),
      auditEntry({ id: 1, action: 'grant', target: '研发中心 (department 2)', detail: 'admin' }),
    ]
    const texts = async () => {
      stubApi({ 'GET /api/admin/audit': () => jsonResponse(200, { items: written }) })
      const w = await open()
      return w.findAll('[data-test="audit-entry"]').map((e) => e.text())
    }

    it('Chinese: no raw keys, kinds, roles or English', async () => {
      const [confirm, crons, policy, start, grant] = await texts()
      expect(confirm).toContain('第 4 次同步')
      expect(confirm).toContain('第 5 次同步最多可停用 145 人')
      expect(crons).toContain('同步计划、强制同步计划')
      expect(policy).toContain('谁能使用门户')
      expect(start).toContain('强制同步')
      expect(grant).toContain('研发中心（部门 2）')
      expect(grant).toContain('角色：管理员')
      for (const text of [confirm, crons, policy, start, grant]) expect(text).not.toMatch(/\brun \d|may disable|syncCron|rolePolicy|\bforce\b|\badmin\b|department \d/)
    })

    it('English: the same entries in words', async () => {
      await useI18n().setLang('en')
      await loadAdminEnglish()
      const [confirm, crons, policy, start, grant] = await texts()
      expect(confirm).toContain('run 5 may disable up to 145 people')
      expect(crons).toContain('Sync schedule, Force sync schedule')
      expect(policy).toContain('Who may use the portal')
      expect(start).toContain('Force sync')
      expect(grant).toContain('Role: Admin')
    })
  })
})
