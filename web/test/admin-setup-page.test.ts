import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { jsonResponse } from './fixtures'
import { HOMEPAGE_URL, adminFetch, sentBodies, setupValues, verifyFile, type Handler } from './admin-setup-fixtures'
import { mountRoutes } from './route-mount'
import { usePageEnv } from './page-env'
import { loadAdminEnglish } from '../src/i18n/admin/use-admin-i18n'
import { eventually } from './wait'

let wrapper: VueWrapper | undefined
const fetchMock = usePageEnv(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})
afterEach(() => {
  vi.restoreAllMocks()
  Reflect.deleteProperty(document, 'execCommand')
})

function stubApi(over: Record<string, Handler> = {}): void {
  fetchMock.mockImplementation(
    adminFetch({
      'GET /api/admin/setup': () => jsonResponse(200, setupValues()),
      'GET /api/admin/verify-files': () => jsonResponse(200, { items: [] }),
      ...over,
    }),
  )
}

async function open(): Promise<VueWrapper> {
  ;({ wrapper } = await mountRoutes('/admin/setup'))
  await flushPromises()
  return wrapper
}

const copyField = (w: VueWrapper, name: string) => w.find(`[data-test="copy-field"][data-field="${name}"]`)
/** Texts of the toasts on screen (each copy field has its own). */
const toasts = () => [...document.body.querySelectorAll('[data-test="toast"]')].map((el) => el.textContent?.trim())

/** Picks a file in the verify-file input as the browser would. */
async function pickFile(w: VueWrapper, name: string, content: string): Promise<void> {
  const input = w.find('[data-test="verify-input"]')
  Object.defineProperty(input.element, 'files', { value: [new File([content], name, { type: 'text/plain' })], configurable: true })
  await input.trigger('change')
  await flushPromises()
}

describe('AdminSetupPage: failures first', () => {
  it('a failed load shows an error with retry, which loads the guide', async () => {
    let fail = true
    stubApi({
      'GET /api/admin/setup': () => (fail ? jsonResponse(500, { error: { code: 'internal', message: 'boom' } }) : jsonResponse(200, setupValues())),
    })
    const w = await open()
    expect(w.find('[role="alert"]').text()).toContain('重试')
    expect(w.findAll('[data-test="setup-step"]')).toHaveLength(0)
    fail = false
    await w.find('.load-error__button').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-test="setup-step"]')).toHaveLength(7)
  })

  it('an upload the BFF refuses (bad name) shows its message and adds no file', async () => {
    stubApi({
      'POST /api/admin/verify-files': () =>
        jsonResponse(400, {
          error: {
            code: 'bad_request',
            message: 'Invalid name.',
            fields: { name: 'expected WW_verify_ followed by 16 letters or digits and .txt, as the WeCom console names the file' },
          },
        }),
    })
    const w = await open()
    await pickFile(w, 'WW_verify_Ab3dE5fG7hJ9kL1m (1).txt', 'Ab3dE5fG7hJ9kL1m')
    expect(sentBodies(fetchMock.mock.calls, 'POST', '/api/admin/verify-files')).toEqual([
      { name: 'WW_verify_Ab3dE5fG7hJ9kL1m (1).txt', content: 'Ab3dE5fG7hJ9kL1m' },
    ])
    const error = w.find('[data-test="verify-error"]')
    expect(error.text()).toContain('上传失败：文件名「WW_verify_Ab3dE5fG7hJ9kL1m (1).txt」不对')
    expect(error.text()).toContain('请改回原名')
    expect(w.findAll('[data-test="verify-file"]')).toHaveLength(0)
    expect(w.find('[data-test="verify-empty"]').exists()).toBe(true)
  })

  it('any other refusal shows the BFF\'s message and hint', async () => {
    stubApi({
      'POST /api/admin/verify-files': () =>
        jsonResponse(409, {
          error: {
            code: 'conflict',
            message: 'WW_verify_Ab3dE5fG7hJ9kL1m.txt comes from WECOM_VERIFY_FILES.',
            hint: 'Change or remove it there; the file set in the environment wins.',
          },
        }),
    })
    const w = await open()
    await pickFile(w, 'WW_verify_Ab3dE5fG7hJ9kL1m.txt', 'Ab3dE5fG7hJ9kL1m')
    const error = w.find('[data-test="verify-error"]')
    expect(error.text()).toContain('上传失败：WW_verify_Ab3dE5fG7hJ9kL1m.txt comes from WECOM_VERIFY_FILES.')
    expect(error.text()).toContain('the file set in the environment wins')
  })

  it('a file too large to be WeCom\'s is refused in the browser, nothing is sent', async () => {
    stubApi()
    const w = await open()
    await pickFile(w, 'WW_verify_Ab3dE5fG7hJ9kL1m.txt', 'x'.repeat(5000))
    expect(w.find('[data-test="verify-error"]').text()).toContain('文件太大')
    expect(sentBodies(fetchMock.mock.calls, 'POST', '/api/admin/verify-files')).toEqual([])
  })

  it('domain warnings are shown before the steps', async () => {
    stubApi({
      'GET /api/admin/setup': () =>
        jsonResponse(
          200,
          setupValues({
            trustedDomain: '10.0.3.7:3000',
            domainWarnings: [{ zh: 'PUBLIC_URL 是 IP 地址：企业微信只接受已备案的域名。', en: 'PUBLIC_URL is an IP address: WeCom accepts only ICP-filed domains.' }],
          }),
        ),
    })
    const w = await open()
    const warnings = w.find('[data-test="domain-warnings"]')
    expect(warnings.attributes('role')).toBe('alert')
    expect(warnings.text()).toContain('PUBLIC_URL 是 IP 地址')
    // Prominent: above the checklist.
    expect(w.html().indexOf('domain-warnings')).toBeLessThan(w.html().indexOf('setup-step'))
  })

  it('when the clipboard is refused, the textarea fallback copies; when that fails too, the admin is told', async () => {
    stubApi()
    const w = await open()
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'))
    const exec = vi.fn(() => true)
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true })
    await copyField(w, 'trustedDomain').find('[data-test="copy-button"]').trigger('click')
    await flushPromises()
    expect(exec).toHaveBeenCalledWith('copy')
    expect(toasts()).toEqual(['已复制'])

    exec.mockReturnValue(false)
    await copyField(w, 'loginCallbackDomain').find('[data-test="copy-button"]').trigger('click')
    await flushPromises()
    expect(toasts()).toContain('无法自动复制，请长按或选中文字手动复制')
  })
})

describe('AdminSetupPage', () => {
  it('shows every value with the console field it belongs to, in checklist order', async () => {
    stubApi()
    const w = await open()
    const steps = w.findAll('[data-test="setup-step"]')
    expect(steps.map((s) => s.find('h2').text())).toEqual([
      '创建自建应用',
      '设置应用主页',
      '网页授权及JS-SDK',
      '企业微信授权登录',
      '接收消息',
      '企业可信IP',
      '运行连接体检',
    ])
    const expectField = (name: string, label: string, value: string, place: string) => {
      const f = copyField(w, name)
      expect(f.find('[data-test="copy-label"]').text()).toBe(label)
      expect(f.find('[data-test="copy-value"]').text()).toBe(value)
      expect(f.element.closest('[data-test="setup-step"]')!.querySelector('[data-test="step-place"]')!.textContent).toContain(place)
    }
    expectField('homepageUrl', '应用主页', HOMEPAGE_URL, '应用详情 → 应用主页')
    expectField('trustedDomain', '可信域名', 'portal.example.com', '网页授权及JS-SDK → 设置可信域名')
    expectField('loginCallbackDomain', '授权回调域', 'portal.example.com', '企业微信授权登录 → Web网页 → 授权回调域')
    expectField('callbackUrl', 'URL', 'https://portal.example.com/portal/wecom/callback', '接收消息 → 设置API接收')
    expectField('egressIp', '服务器出口 IP', '115.227.127.185', '企业可信IP')
    expect(w.find('[data-test="fact-corpId"]').text()).toBe('ww7c5e0a1b2c3d4e5f')
    expect(w.find('[data-test="fact-agentId"]').text()).toBe('1000002')
    expect(w.find('[data-test="token-status"]').text()).toBe('未配置')
    expect(w.find('[data-test="verify-served"]').text()).toContain('https://portal.example.com/WW_verify_….txt')
    expect(w.find('[data-test="to-settings"]').attributes('href')).toBe('/admin/settings')
  })

  it('copies the exact homepage URL and confirms with a toast', async () => {
    stubApi()
    const w = await open()
    const write = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue()
    await copyField(w, 'homepageUrl').find('[data-test="copy-button"]').trigger('click')
    await flushPromises()
    expect(write).toHaveBeenCalledWith(HOMEPAGE_URL)
    expect(toasts()).toEqual(['已复制'])
    expect(copyField(w, 'homepageUrl').find('[data-test="copy-button"]').text()).toBe('已复制')
  })

  it('without a known egress IP, explains that the doctor finds it', async () => {
    stubApi({ 'GET /api/admin/setup': () => jsonResponse(200, setupValues({ egressIp: undefined })) })
    const w = await open()
    expect(copyField(w, 'egressIp').exists()).toBe(false)
    expect(w.find('[data-test="egress-unknown"]').text()).toContain('运行连接体检')
  })

  it('the deep-link builder gives the chosen page, encoded, as returnTo of /auth/login', async () => {
    stubApi()
    const w = await open()
    const link = () => w.find('[data-test="deep-link"] [data-test="copy-value"]').text()
    const prefix = `${HOMEPAGE_URL}?returnTo=`
    expect(link()).toBe(`${prefix}%2Ftodos`)
    await w.find('[data-test="deep-link-contacts"]').trigger('click')
    expect(link()).toBe(`${prefix}%2Fcontacts`)
    await w.find('[data-test="deep-link-home"]').trigger('click')
    expect(link()).toBe(HOMEPAGE_URL)

    await w.find('[data-test="deep-link-custom"]').trigger('click')
    await w.find('[data-test="deep-link-path"]').setValue('todos/td-1')
    expect(w.find('[data-test="deep-link-error"]').text()).toContain('须以单个 / 开头')
    expect(w.find('[data-test="deep-link"] [data-test="copy-field"]').exists()).toBe(false)
    await w.find('[data-test="deep-link-path"]').setValue('/todos/td-1?from=menu&x=1')
    expect(w.find('[data-test="deep-link-error"]').exists()).toBe(false)
    expect(link()).toBe(`${prefix}%2Ftodos%2Ftd-1%3Ffrom%3Dmenu%26x%3D1`)
  })

  it('uploads a verification file as {name, content} and lists it with where it is served', async () => {
    const saved = verifyFile()
    stubApi({ 'POST /api/admin/verify-files': () => jsonResponse(200, saved) })
    const w = await open()
    await pickFile(w, saved.name, saved.content)
    expect(sentBodies(fetchMock.mock.calls, 'POST', '/api/admin/verify-files')).toEqual([{ name: saved.name, content: saved.content }])
    const row = w.find('[data-test="verify-file"]')
    expect(row.text()).toContain(saved.name)
    expect(row.text()).toContain('Ab3dE5fG7hJ9kL1m')
    expect(row.find('a').attributes('href')).toBe(`https://portal.example.com/${saved.name}`)
    expect(w.find('[data-test="verify-error"]').exists()).toBe(false)
  })

  it('deletes a stored file after confirmation; a file from env cannot be deleted here', async () => {
    const stored = verifyFile()
    const fromEnv = verifyFile({ name: 'WW_verify_Zz9yX8wV7uT6sR5q.txt', content: 'Zz9yX8wV7uT6sR5q', source: 'env' })
    stubApi({
      'GET /api/admin/verify-files': () => jsonResponse(200, { items: [stored, fromEnv] }),
      [`DELETE /api/admin/verify-files/${stored.name}`]: () => new Response(null, { status: 204 }),
    })
    const w = await open()
    const rows = w.findAll('[data-test="verify-file"]')
    expect(rows[1]!.find('[data-test="verify-delete"]').exists()).toBe(false)
    expect(rows[1]!.text()).toContain('WECOM_VERIFY_FILES')
    await rows[0]!.find('[data-test="verify-delete"]').trigger('click')
    await flushPromises()
    expect(document.body.querySelector('.van-dialog')?.textContent).toContain(`删除 ${stored.name}？`)
    ;(document.body.querySelector('.van-dialog__confirm') as HTMLElement).click()
    await eventually(() => expect(w.findAll('[data-test="verify-file"]')).toHaveLength(1))
    const deletes = fetchMock.mock.calls.filter(([, init]) => init?.method === 'DELETE').map(([u]) => String(u))
    expect(deletes).toEqual([`/api/admin/verify-files/${stored.name}`])
  })

  it('generated callback credentials are shown once, in full, with a warning; a later visit shows only "configured"', async () => {
    const pair = { token: 'p7Qw2Lr9Xz4Bn6Tk', encodingAesKey: 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4bC6dE8f' }
    let set = false
    stubApi({
      'GET /api/admin/setup': () => jsonResponse(200, setupValues({ callbackTokenSet: set, callbackAesKeySet: set })),
      'POST /api/admin/setup/callback-credentials': () => {
        set = true
        return jsonResponse(200, pair)
      },
    })
    const w = await open()
    await w.find('[data-test="callback-generate"]').trigger('click')
    await flushPromises()
    const once = w.find('[data-test="callback-once"]')
    expect(once.text()).toContain('只显示这一次')
    expect(once.text()).toContain('接收消息')
    expect(copyField(w, 'callbackToken').find('[data-test="copy-value"]').text()).toBe(pair.token)
    expect(copyField(w, 'callbackAesKey').find('[data-test="copy-value"]').text()).toBe(pair.encodingAesKey)

    wrapper!.unmount()
    const again = await open()
    expect(again.find('[data-test="callback-once"]').exists()).toBe(false)
    expect(again.find('[data-test="token-status"]').text()).toBe('已配置')
    expect(again.find('[data-test="aes-status"]').text()).toBe('已配置')
    expect(again.html()).not.toContain(pair.token)
    expect(again.html()).not.toContain(pair.encodingAesKey)
  })

  it('regenerating over configured credentials asks first; cancelling sends nothing', async () => {
    stubApi({ 'GET /api/admin/setup': () => jsonResponse(200, setupValues({ callbackTokenSet: true, callbackAesKeySet: true })) })
    const w = await open()
    await w.find('[data-test="callback-generate"]').trigger('click')
    await flushPromises()
    expect(document.body.querySelector('.van-dialog')?.textContent).toContain('会立即失效')
    ;(document.body.querySelector('.van-dialog__cancel') as HTMLElement).click()
    await flushPromises()
    expect(fetchMock.mock.calls.some(([u]) => String(u).includes('callback-credentials'))).toBe(false)
  })

  it('reads in English too', async () => {
    const { useI18n } = await import('../src/i18n/use-i18n')
    await useI18n().setLang('en')
    await loadAdminEnglish() // its own chunk; the admin route awaits it the same way
    stubApi()
    const w = await open()
    expect(copyField(w, 'homepageUrl').find('[data-test="copy-label"]').text()).toBe('App homepage')
    expect(w.findAll('[data-test="setup-step"]')[0]!.find('h2').text()).toBe('Create a self-built app')
  })
})
