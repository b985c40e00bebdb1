import { describe, expect, it } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { jsonResponse } from './fixtures'
import { adminFetch, doctorCheck, doctorReport, sentBodies } from './admin-setup-fixtures'
import { mountRoutes } from './route-mount'
import { usePageEnv } from './page-env'
import { useI18n } from '../src/i18n/use-i18n'
import { loadAdminEnglish } from '../src/i18n/admin/use-admin-i18n'
import { eventually } from './wait'

let wrapper: VueWrapper | undefined
const fetchMock = usePageEnv(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})

async function open(): Promise<VueWrapper> {
  ;({ wrapper } = await mountRoutes('/admin/doctor'))
  await flushPromises()
  return wrapper
}

const doctorBodies = () => sentBodies(fetchMock.mock.calls, 'POST', '/api/admin/doctor')
const check = (w: VueWrapper, id: string) => w.find(`[data-test="doctor-check"][data-id="${id}"]`)

describe('AdminDoctorPage: failures first', () => {
  it('a failed run shows an error state; retry runs the checks again', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    fetchMock.mockImplementation(adminFetch({ 'POST /api/admin/doctor': () => jsonResponse(200, doctorReport()) }))
    const w = await open()
    expect(w.find('.load-error').text()).toContain('网络连接不稳定')
    expect(w.findAll('[data-test="doctor-check"]')).toHaveLength(0)
    await w.find('.load-error__button').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-test="doctor-check"]')).toHaveLength(4)
    expect(doctorBodies()).toEqual([{}, {}])
  })

  it('a failed re-run keeps the last report and offers a retry', async () => {
    let fail = false
    fetchMock.mockImplementation(
      adminFetch({
        'POST /api/admin/doctor': () =>
          fail ? jsonResponse(500, { error: { code: 'internal', message: '数据库暂时不可用', hint: '稍后再试' } }) : jsonResponse(200, doctorReport()),
      }),
    )
    const w = await open()
    fail = true
    await w.find('[data-test="doctor-run"]').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-test="doctor-check"]')).toHaveLength(4)
    expect(w.find('[data-test="doctor-error"]').text()).toContain('这次没能完成检查：数据库暂时不可用')
    fail = false
    await w.find('[data-test="doctor-retry"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test="doctor-error"]').exists()).toBe(false)
  })
})

describe('AdminDoctorPage', () => {
  it('runs on open and shows each check with status, summary, the fix emphasised, errcode and duration', async () => {
    let release!: (r: Response) => void
    fetchMock.mockImplementation(adminFetch({ 'POST /api/admin/doctor': () => new Promise<Response>((r) => (release = r)) }))
    const w = await open()
    expect(w.find('[data-test="doctor-loading"]').exists()).toBe(true)
    release(jsonResponse(200, doctorReport()))
    await flushPromises()
    expect(doctorBodies()).toEqual([{}])
    expect(w.findAll('[data-test="doctor-check"]').map((c) => c.attributes('data-status'))).toEqual(['ok', 'fail', 'warn', 'skip'])
    const ip = check(w, 'trustedIp')
    expect(ip.find('h3').text()).toBe('企业可信IP')
    expect(ip.find('[data-test="check-status"]').text()).toBe('失败')
    expect(ip.find('[data-test="check-summary"]').text()).toBe('企业微信拒绝了来自 115.227.127.185 的访问。')
    expect(ip.find('[data-test="check-fix"]').text()).toContain('怎么做')
    expect(ip.find('[data-test="check-fix"] p').text()).toBe('在应用详情 → 企业可信IP 中加入 115.227.127.185。')
    expect(ip.find('[data-test="check-errcode"]').text()).toBe('errcode 60020')
    expect(ip.find('[data-test="check-ms"]').text()).toBe('184 ms')
    expect(check(w, 'config').find('[data-test="check-fix"]').exists()).toBe(false)
    expect(w.find('[data-test="doctor-overall"]').text()).toBe('1 项需要修复，1 项提醒')
    expect(w.find('[data-test="doctor-ran-at"]').text()).toMatch(/^检查于 2026/)
  })

  it('reads in English, from the same report', async () => {
    await useI18n().setLang('en')
    await loadAdminEnglish() // its own chunk; the admin route awaits it the same way
    fetchMock.mockImplementation(adminFetch({ 'POST /api/admin/doctor': () => jsonResponse(200, doctorReport()) }))
    const w = await open()
    const ip = check(w, 'trustedIp')
    expect(ip.find('h3').text()).toBe('Trusted IP')
    expect(ip.find('[data-test="check-status"]').text()).toBe('Failed')
    expect(ip.find('[data-test="check-fix"]').text()).toContain('What to do')
    expect(ip.find('[data-test="check-fix"] p').text()).toBe('Add 115.227.127.185 under App details → Trusted IPs.')
    expect(w.find('[data-test="doctor-overall"]').text()).toBe('1 problem(s) to fix, 1 warning(s)')
    expect(w.find('[data-test="doctor-ran-at"]').text()).toMatch(/^Checked /)
  })

  it('all ok says so', async () => {
    const allOk = doctorReport([doctorCheck({ id: 'config' }), doctorCheck({ id: 'token' })])
    fetchMock.mockImplementation(adminFetch({ 'POST /api/admin/doctor': () => jsonResponse(200, allOk) }))
    const w = await open()
    expect(w.find('[data-test="doctor-overall"]').text()).toBe('一切正常')
  })

  it('"send me a test message" posts {testMessage: true} and highlights its result', async () => {
    const sent = doctorReport([
      doctorCheck({ id: 'config' }),
      doctorCheck({
        id: 'testMessage',
        title: { zh: '测试消息', en: 'Test message' },
        status: 'ok',
        summary: { zh: '已发送给张三（zhangsan），请在企业微信中查看。', en: 'Sent to 张三 (zhangsan); check WeCom.' },
        ms: 240,
      }),
    ])
    fetchMock.mockImplementation(
      adminFetch({
        'POST /api/admin/doctor': (init) =>
          jsonResponse(200, JSON.parse(String(init?.body)).testMessage ? sent : doctorReport()),
      }),
    )
    const w = await open()
    expect(check(w, 'testMessage').attributes('data-highlighted')).toBeUndefined()
    await w.find('[data-test="doctor-test-message"]').trigger('click')
    await flushPromises()
    expect(doctorBodies()).toEqual([{}, { testMessage: true }])
    const row = check(w, 'testMessage')
    expect(row.attributes('data-highlighted')).toBe('true')
    expect(row.classes()).toContain('is-highlighted')
    expect(row.text()).toContain('已发送给张三（zhangsan）')
    expect(w.findAll('[data-highlighted="true"]')).toHaveLength(1)
    // A plain re-run drops the highlight.
    await w.find('[data-test="doctor-run"]').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-highlighted="true"]')).toHaveLength(0)
  })

  it('while a run is under way, both buttons wait', async () => {
    let release!: (r: Response) => void
    let calls = 0
    fetchMock.mockImplementation(
      adminFetch({
        'POST /api/admin/doctor': () => (++calls === 1 ? jsonResponse(200, doctorReport()) : new Promise<Response>((r) => (release = r))),
      }),
    )
    const w = await open()
    await w.find('[data-test="doctor-run"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test="doctor-run"]').text()).toBe('正在检查…')
    expect(w.find('[data-test="doctor-test-message"]').attributes('disabled')).toBeDefined()
    await w.find('[data-test="doctor-test-message"]').trigger('click')
    release(jsonResponse(200, doctorReport()))
    await eventually(() => expect(w.find('[data-test="doctor-run"]').text()).toBe('重新检查'))
    expect(doctorBodies()).toEqual([{}, {}])
  })
})
