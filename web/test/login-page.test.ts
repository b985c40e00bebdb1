import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import LoginPage from '../src/pages/LoginPage.vue'
import { useI18n } from '../src/i18n/use-i18n'
import { mountAt } from './mount-helpers'
import { jsonResponse, sandboxLoginOptions } from './fixtures'
import { PANEL_LOAD_MS, WECOM_LOGIN_ORIGIN } from '../src/lib/login-panel'
import { embedded } from '../src/lib/embed'

interface PanelOptions {
  el: Element
  params: Record<string, unknown>
  onLoginSuccess?: (r: { code: string }) => void
  onCheckWeComLogin?: (r: { isWeComLogin: boolean }) => void
}
const createWWLoginPanel = vi.fn((_options: PanelOptions) => ({ unmount: vi.fn() }))
vi.mock('@wecom/jssdk', () => ({
  createWWLoginPanel,
  WWLoginType: { corpApp: 'CorpApp' },
  WWLoginRedirectType: { top: 'top', callback: 'callback', self: 'self' },
  WWLoginPanelSizeType: { small: 'small', middle: 'middle' },
  WWLoginLangType: { zh: 'zh', en: 'en' },
}))

const fetchMock = vi.fn<typeof fetch>()
let wrapper: VueWrapper | undefined
const realUA = navigator.userAgent

function setUserAgent(ua: string): void {
  Object.defineProperty(window.navigator, 'userAgent', { value: ua, configurable: true })
}

beforeEach(() => {
  useI18n().setLang('zh')
  vi.stubGlobal('fetch', fetchMock)
  window.__PORTAL_BASE__ = undefined
})
afterEach(() => {
  wrapper?.unmount()
  fetchMock.mockReset()
  createWWLoginPanel.mockClear()
  vi.unstubAllGlobals()
  setUserAgent(realUA)
  useI18n().setLang('auto')
})

describe('LoginPage', () => {
  it('shows an error state with retry when login options fail to load', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    wrapper = await mountAt(LoginPage, '/login')
    expect(wrapper.text()).toContain('加载失败')
    expect(wrapper.text()).not.toContain('TypeError')

    fetchMock.mockResolvedValueOnce(jsonResponse(200, sandboxLoginOptions()))
    await wrapper.find('button').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-test="sandbox-login"]').exists()).toBe(true)
  })

  it('sandbox mode: explains the sandbox and links to the sandbox QR page', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, sandboxLoginOptions()))
    wrapper = await mountAt(LoginPage, `/login?returnTo=${encodeURIComponent('/me?tab=session')}`)
    const [url] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/auth/login-options?returnTo=%2Fme%3Ftab%3Dsession')
    expect(wrapper.text()).toContain('沙箱环境')
    const button = wrapper.find('[data-test="sandbox-login"]')
    expect(button.element.tagName).toBe('A')
    expect(button.attributes('href')).toBe(sandboxLoginOptions().fullPageUrl)
    expect(button.text()).toContain('企业微信扫码登录（沙箱）')
  })

  it('real mode: mounts the WeCom panel into the page and links to the full login page', async () => {
    const options = { ...sandboxLoginOptions(), mode: 'wecom' as const, fullPageUrl: 'https://login.work.weixin.qq.com/wwlogin/sso/login?x=1' }
    fetchMock.mockResolvedValueOnce(jsonResponse(200, options))
    wrapper = await mountAt(LoginPage, '/login')
    await flushPromises()
    expect(createWWLoginPanel).toHaveBeenCalledTimes(1)
    const arg = createWWLoginPanel.mock.calls[0]![0]
    expect(arg.el).toBe(wrapper.find('[data-test="login-panel"]').element)
    expect(arg.params).toMatchObject({ appid: 'wwsandbox', agentid: '1000002', state: 's-123', redirect_type: 'top', lang: 'zh' })
    const link = wrapper.find('[data-test="full-page-login"]')
    expect(link.attributes('href')).toBe(options.fullPageUrl)
    expect(link.text()).toContain('在新页面中打开企业微信登录')
  })

  describe("WeCom's QR frame", () => {
    const realOptions = () => ({ ...sandboxLoginOptions(), mode: 'wecom' as const, fullPageUrl: 'https://login.work.weixin.qq.com/wwlogin/sso/login?x=1' })
    afterEach(() => {
      vi.useRealTimers()
      embedded.value = false
    })

    it('that never loads (blocked, unreachable): says what happened and offers the full login page', async () => {
      vi.useFakeTimers({ shouldAdvanceTime: true })
      fetchMock.mockResolvedValueOnce(jsonResponse(200, realOptions()))
      wrapper = await mountAt(LoginPage, '/login')
      await flushPromises()
      expect(wrapper.find('[data-test="panel-unreachable"]').exists()).toBe(false)
      await vi.advanceTimersByTimeAsync(PANEL_LOAD_MS)
      expect(wrapper.find('[data-test="panel-unreachable"]').text()).toContain('企业微信登录二维码没有加载出来')
      const fallback = wrapper.find('[data-test="full-page-login"]')
      expect(fallback.attributes('href')).toBe(realOptions().fullPageUrl)
      expect(fallback.classes()).toContain('van-button--primary')
    })

    it('that loads and talks to the page: no message', async () => {
      vi.useFakeTimers({ shouldAdvanceTime: true })
      fetchMock.mockResolvedValueOnce(jsonResponse(200, realOptions()))
      wrapper = await mountAt(LoginPage, '/login')
      await flushPromises()
      // Another origin's message proves nothing.
      window.dispatchEvent(new MessageEvent('message', { origin: 'https://evil.example', data: '{}' }))
      window.dispatchEvent(new MessageEvent('message', { origin: WECOM_LOGIN_ORIGIN, data: '{"type":"ww-iframe-handle:ready"}' }))
      await vi.advanceTimersByTimeAsync(PANEL_LOAD_MS * 2)
      expect(wrapper.find('[data-test="panel-unreachable"]').exists()).toBe(false)
    })

    it("inside a host's iframe: asks for an embedded login, and the code brings this frame, not the host page, to the callback", async () => {
      embedded.value = true
      const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => {})
      fetchMock.mockResolvedValueOnce(jsonResponse(200, { ...realOptions(), panel: { ...realOptions().panel, redirect_type: 'callback' } }))
      wrapper = await mountAt(LoginPage, '/login?returnTo=%2Fme')
      await flushPromises()
      expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/auth/login-options?returnTo=%2Fme&embed=1')
      const arg = createWWLoginPanel.mock.calls[0]![0]
      expect(arg.params.redirect_type).toBe('callback')
      arg.onLoginSuccess!({ code: 'CODE-1' })
      expect(assign).toHaveBeenCalledWith('http://localhost:3000/auth/callback?code=CODE-1&state=s-123')
      assign.mockRestore()
    })
  })

  it('sanitizes returnTo before asking for login options', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, sandboxLoginOptions()))
    wrapper = await mountAt(LoginPage, `/login?returnTo=${encodeURIComponent('https://evil.example/')}`)
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/auth/login-options?returnTo=%2F')
  })

  it('after sign-out: says so and offers to sign in again, without starting a login', async () => {
    wrapper = await mountAt(LoginPage, '/login?signedOut=1')
    expect(wrapper.text()).toContain('你已退出登录')
    const again = wrapper.find('a.van-button')
    expect(again.text()).toContain('重新登录')
    expect(again.attributes('href')).toBe('/auth/login?returnTo=%2F')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('inside WeCom: one button into the app via OAuth, no QR code', async () => {
    setUserAgent(
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh',
    )
    window.__PORTAL_BASE__ = '/portal/'
    wrapper = await mountAt(LoginPage, `/login?returnTo=${encodeURIComponent('/me')}`)
    const enter = wrapper.find('a.van-button')
    expect(enter.text()).toContain('进入应用')
    expect(enter.attributes('href')).toBe('/portal/auth/login?returnTo=%2Fme')
    expect(fetchMock).not.toHaveBeenCalled()
  })
})
