import { describe, expect, it } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { SettingsUpdate } from '@portal/shared'
import { jsonResponse } from './fixtures'
import { adminFetch, sentBodies, settingsView, type Handler } from './admin-setup-fixtures'
import { mountRoutes } from './route-mount'
import { usePageEnv } from './page-env'
import { eventually } from './wait'

let wrapper: VueWrapper | undefined
const fetchMock = usePageEnv(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})

function stubApi(over: Record<string, Handler> = {}): void {
  fetchMock.mockImplementation(
    adminFetch({
      'GET /api/admin/settings': () => jsonResponse(200, settingsView()),
      ...over,
    }),
  )
}

async function open(): Promise<VueWrapper> {
  ;({ wrapper } = await mountRoutes('/admin/settings'))
  await flushPromises()
  return wrapper
}

const row = (w: VueWrapper, key: string) => w.find(`[data-test="setting"][data-key="${key}"]`)
const input = (w: VueWrapper, key: string) => row(w, key).find<HTMLInputElement>('[data-test="setting-input"]')
const puts = () => sentBodies(fetchMock.mock.calls, 'PUT', '/api/admin/settings') as SettingsUpdate[]
async function save(w: VueWrapper): Promise<void> {
  await w.find('form').trigger('submit')
  await flushPromises()
}

describe('AdminSettingsPage: failures first', () => {
  it('a failed load shows an error with retry', async () => {
    let fail = true
    stubApi({ 'GET /api/admin/settings': () => (fail ? jsonResponse(503, {}) : jsonResponse(200, settingsView())) })
    const w = await open()
    expect(w.find('.load-error').exists()).toBe(true)
    fail = false
    await w.find('.load-error__button').trigger('click')
    await flushPromises()
    expect(input(w, 'agentId').element.value).toBe('1000002')
  })

  it('a 400 with fields shows each message under its field and keeps what was typed', async () => {
    stubApi({
      'PUT /api/admin/settings': () =>
        jsonResponse(400, {
          error: {
            code: 'bad_request',
            message: '企业微信拒绝了这些设置',
            fields: {
              agentId: '企业微信说这个 AgentId 不存在（40056）：请核对应用详情页的 AgentId。',
              contactSecret: '通讯录同步 Secret 不正确（40001）。',
            },
          },
        }),
    })
    const w = await open()
    await input(w, 'agentId').setValue('1000099')
    await input(w, 'contactSecret').setValue('wrong-secret')
    await save(w)
    expect(row(w, 'agentId').find('[data-test="field-error"]').text()).toContain('AgentId 不存在（40056）')
    expect(row(w, 'contactSecret').find('[data-test="field-error"]').text()).toBe('通讯录同步 Secret 不正确（40001）。')
    expect(row(w, 'corpId').find('[data-test="field-error"]').exists()).toBe(false)
    expect(input(w, 'agentId').element.value).toBe('1000099')
    expect(input(w, 'contactSecret').element.value).toBe('wrong-secret')
    expect(w.find('[data-test="save-error"]').text()).toContain('请按标出的提示修改')
    // Fixing a field clears its message; the other stays until the next save.
    await input(w, 'agentId').setValue('1000003')
    expect(row(w, 'agentId').find('[data-test="field-error"]').exists()).toBe(false)
    expect(row(w, 'contactSecret').find('[data-test="field-error"]').exists()).toBe(true)
  })

  it('a failure that is not about one field shows the message and hint by the save button', async () => {
    stubApi({
      'PUT /api/admin/settings': () =>
        jsonResponse(502, { error: { code: 'wecom_error', message: '企业微信暂时无法访问', hint: '稍后再试；若持续出现，运行连接体检。', errcode: -1 } }),
    })
    const w = await open()
    await input(w, 'agentId').setValue('1000003')
    await save(w)
    const err = w.find('[data-test="save-error"]')
    expect(err.text()).toContain('未保存：企业微信暂时无法访问')
    expect(err.text()).toContain('运行连接体检')
    expect(input(w, 'agentId').element.value).toBe('1000003')
  })

  it('without a persistent key, warns that secrets saved here are lost at restart', async () => {
    stubApi({ 'GET /api/admin/settings': () => jsonResponse(200, settingsView({ keyPersistent: false })) })
    const w = await open()
    const warning = w.find('[data-test="key-warning"]')
    expect(warning.text()).toContain('重启后丢失')
    expect(warning.text()).toContain('SESSION_SECRET')
    expect(warning.text()).toContain('SETTINGS_KEY')
  })
})

describe('AdminSettingsPage', () => {
  it('groups the fields; locked ones are disabled, say where they come from, and are never sent', async () => {
    stubApi({ 'PUT /api/admin/settings': () => jsonResponse(200, settingsView()) })
    const w = await open()
    expect(w.findAll('.settings-group__title').map((h) => h.text())).toEqual(['企业与应用', '通讯录同步', '回调（接收消息）', '审批与消息', '运维', '权限'])
    expect(input(w, 'secret').element.disabled).toBe(true)
    expect(row(w, 'secret').find('[data-test="setting-locked"]').text()).toBe('由环境变量 WECOM_SECRET 设置')
    expect(input(w, 'forceSyncCron').element.disabled).toBe(true)
    expect(input(w, 'forceSyncCron').element.value).toBe('10 45 8,12 * * ?')
    expect(row(w, 'forceSyncCron').find('[data-test="setting-locked"]').text()).toContain('配置文件')
    expect(row(w, 'forceSyncCron').find('[data-test="setting-locked"]').text()).toContain('FORCE_SYNC_CRON')
    expect(input(w, 'agentId').element.disabled).toBe(false)
    // Even a value forced into a disabled input is not sent.
    for (const key of ['secret', 'forceSyncCron']) {
      input(w, key).element.value = 'forced'
      input(w, key).element.dispatchEvent(new Event('input'))
    }
    await input(w, 'apiBase').setValue('https://wecom-proxy.example.com')
    await save(w)
    expect(puts()).toEqual([{ apiBase: 'https://wecom-proxy.example.com' }])
  })

  it('sends only the changed keys; an emptied stored value is sent as null', async () => {
    stubApi({ 'PUT /api/admin/settings': () => jsonResponse(200, settingsView()) })
    const w = await open()
    expect(w.find('[data-test="settings-save"]').attributes('disabled')).toBeDefined()
    await input(w, 'agentId').setValue(' 1000003 ')
    await input(w, 'syncCron').setValue('10 0/30 * * * ?')
    await input(w, 'corpId').setValue('')
    await row(w, 'messageEnable').find('[data-test="setting-switch"]').trigger('click')
    // Changed and changed back: not a change.
    await input(w, 'approvalCron').setValue('0 0 * * * ?')
    await input(w, 'approvalCron').setValue('30 0/5 * * * ?')
    expect(w.find('[data-test="settings-status"]').text()).toBe('4 项修改未保存')
    await save(w)
    expect(puts()).toEqual([{ agentId: '1000003', syncCron: '10 0/30 * * * ?', corpId: null, messageEnable: false }])
  })

  it('never prefills secrets: shows the mask, a typed secret replaces, "clear" sends null', async () => {
    // Even if a value slipped into the answer, the form does not show it.
    const leaky = settingsView({}, { contactSecret: { value: 'leaked-contact-secret' } })
    stubApi({
      'GET /api/admin/settings': () => jsonResponse(200, leaky),
      'PUT /api/admin/settings': () => jsonResponse(200, settingsView()),
    })
    const w = await open()
    for (const key of ['secret', 'contactSecret', 'callbackToken', 'callbackAesKey']) {
      expect(input(w, key).element.value, key).toBe('')
      expect(input(w, key).attributes('type'), key).toBe('password')
      expect(input(w, key).attributes('autocomplete'), key).toBe('new-password')
    }
    expect(row(w, 'contactSecret').find('[data-test="setting-masked"]').text()).toContain('••••77c1')
    expect(row(w, 'callbackToken').find('[data-test="setting-masked"]').exists()).toBe(false)
    expect(w.html()).not.toContain('leaked-contact-secret')

    await input(w, 'callbackAesKey').setValue('aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4bC6dE8f\n')
    await row(w, 'contactSecret').find('[data-test="setting-clear"]').trigger('click')
    expect(row(w, 'contactSecret').find('[data-test="setting-will-clear"]').exists()).toBe(true)
    await save(w)
    expect(puts()).toEqual([{ contactSecret: null, callbackAesKey: 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4bC6dE8f' }])
  })

  it('saving shows progress, then a toast; the form starts again from the saved answer', async () => {
    let release!: (r: Response) => void
    const answer = settingsView({ updatedAt: '2026-11-21T02:00:00.000Z' }, { agentId: { value: '1000003' } })
    stubApi({ 'PUT /api/admin/settings': () => new Promise<Response>((r) => (release = r)) })
    const w = await open()
    await input(w, 'agentId').setValue('1000003')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.find('[data-test="settings-status"]').text()).toBe('正在向企业微信验证…')
    expect(w.find('[data-test="settings-save"]').classes()).toContain('van-button--loading')
    release(jsonResponse(200, answer))
    await flushPromises()
    await eventually(() => expect(document.body.textContent).toContain('已保存，已生效'))
    expect(input(w, 'agentId').element.value).toBe('1000003')
    expect(w.find('[data-test="settings-status"]').text()).toBe('没有未保存的修改')
  })

  it('a save that needs a restart says so instead of claiming it is in effect', async () => {
    stubApi({ 'PUT /api/admin/settings': () => jsonResponse(200, settingsView({ restartRequired: true }, { corpId: { value: 'wwnewcorp0000000001' } })) })
    const w = await open()
    await input(w, 'corpId').setValue('wwnewcorp0000000001')
    await save(w)
    expect(w.find('[data-test="restart-required"]').text()).toContain('需要重启')
    expect(document.body.textContent).not.toContain('已保存，已生效')
  })

  it('cron fields explain the Quartz format; the role policy is shown read-only with a link to Roles', async () => {
    stubApi()
    const w = await open()
    expect(row(w, 'syncCron').text()).toContain('秒在最前')
    expect(row(w, 'syncCron').text()).toContain('10 0/10 * * * ?')
    const policy = row(w, 'rolePolicy')
    expect(policy.find('input').exists()).toBe(false)
    expect(policy.text()).toContain('所有在可见范围内的成员')
    expect(policy.find('a').attributes('href')).toBe('/admin/roles')
  })

  it('the log level is a choice of four; only a change is sent', async () => {
    stubApi({ 'PUT /api/admin/settings': () => jsonResponse(200, settingsView({}, { logLevel: { value: 'debug', source: 'stored' } })) })
    const w = await open()
    const chips = row(w, 'logLevel').findAll('[role="radio"]')
    expect(chips.map((c) => c.text())).toEqual(['调试', '信息', '警告', '错误'])
    expect(row(w, 'logLevel').find('[data-test="log-level-info"]').attributes('aria-checked')).toBe('true')
    await row(w, 'logLevel').find('[data-test="log-level-info"]').trigger('click')
    expect(w.find('[data-test="settings-save"]').attributes('disabled')).toBeDefined()
    await row(w, 'logLevel').find('[data-test="log-level-debug"]').trigger('click')
    await save(w)
    expect(puts()).toEqual([{ logLevel: 'debug' }])
    expect(row(w, 'logLevel').find('[data-test="log-level-debug"]').attributes('aria-checked')).toBe('true')
  })

  it('a log level pinned by LOG_LEVEL shows locked, without choices', async () => {
    stubApi({ 'GET /api/admin/settings': () => jsonResponse(200, settingsView({}, { logLevel: { value: 'warn', source: 'env', locked: true } })) })
    const w = await open()
    expect(row(w, 'logLevel').find('[role="radio"]').exists()).toBe(false)
    expect(input(w, 'logLevel').element.disabled).toBe(true)
    expect(row(w, 'logLevel').find('[data-test="setting-locked"]').text()).toContain('LOG_LEVEL')
  })
})
