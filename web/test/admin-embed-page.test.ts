import { describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { jsonResponse } from './fixtures'
import { adminFetch, setupValues, type Handler } from './admin-setup-fixtures'
import { mountRoutes } from './route-mount'
import { usePageEnv } from './page-env'
import { hostSnippet } from '../src/lib/embed-snippet'

let wrapper: VueWrapper | undefined
const fetchMock = usePageEnv(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})

const appInfo = (embedOrigins: string[]) => () => jsonResponse(200, { mode: 'wecom', corpId: 'ww7c5e0a1b2c3d4e5f', agentId: '1000002', embedOrigins })

function stubApi(over: Record<string, Handler> = {}): void {
  fetchMock.mockImplementation(
    adminFetch({
      'GET /api/app': appInfo(['https://oa.example.com']),
      'GET /api/admin/setup': () => jsonResponse(200, setupValues()),
      ...over,
    }),
  )
}

async function open(): Promise<VueWrapper> {
  ;({ wrapper } = await mountRoutes('/admin/embed'))
  await flushPromises()
  return wrapper
}

const text = (w: VueWrapper, test: string) => w.find(`[data-test="${test}"]`).text()

describe('AdminEmbedPage: failures first', () => {
  it('no EMBED_ORIGINS: says embedding is off and where it is set', async () => {
    stubApi({ 'GET /api/app': appInfo([]) })
    const w = await open()
    expect(text(w, 'embed-off')).toContain('嵌入已关闭')
    expect(text(w, 'embed-origins')).toContain('EMBED_ORIGINS')
    expect(w.findAll('[data-test="embed-origin"]')).toHaveLength(0)
  })

  it('without the setup values it builds links from where the console is served', async () => {
    stubApi({ 'GET /api/admin/setup': () => jsonResponse(500, {}) })
    const w = await open()
    expect(text(w, 'embed-src')).toBe(`${window.location.origin}/todos?embed=1`)
    // No OAuth details, so no link for inside WeCom.
    expect(w.find('[data-test="embed-wecom"]').exists()).toBe(false)
  })

  it('a custom path cannot point at another site', async () => {
    stubApi()
    const w = await open()
    await w.find('[data-test="embed-page-custom"]').trigger('click')
    await w.find('[data-test="embed-page-path"]').setValue('//evil.example/x')
    expect(text(w, 'embed-src')).toBe('https://portal.example.com/portal/?embed=1')
    expect(text(w, 'embed-page-error')).toContain('须以单个 / 开头')
    await w.find('[data-test="embed-page-path"]').setValue('https://evil.example/')
    expect(text(w, 'embed-direct')).toBe('https://portal.example.com/portal/')
    expect(text(w, 'embed-page-error')).toContain('须以单个 / 开头')
  })

  it('warns that an http PUBLIC_URL cannot keep a session inside an iframe', async () => {
    stubApi({ 'GET /api/admin/setup': () => jsonResponse(200, setupValues({ publicUrl: 'http://portal.example.com' })) })
    const w = await open()
    expect(text(w, 'embed-insecure')).toContain('SameSite=None')
  })
})

describe('AdminEmbedPage', () => {
  it('lists the allowed origins, read-only', async () => {
    stubApi({ 'GET /api/app': appInfo(['https://oa.example.com', 'https://intranet.example.org:8443']) })
    const w = await open()
    expect(w.findAll('[data-test="embed-origin"]').map((o) => o.text())).toEqual(['https://oa.example.com', 'https://intranet.example.org:8443'])
    expect(w.find('[data-test="embed-origins"] input').exists()).toBe(false)
  })

  it('builds the iframe src, the plain link and the WeCom link for the picked page', async () => {
    stubApi()
    const w = await open()
    expect(text(w, 'embed-src')).toBe('https://portal.example.com/portal/todos?embed=1')
    await w.find('[data-test="embed-page-home"]').trigger('click')
    expect(text(w, 'embed-src')).toBe('https://portal.example.com/portal/?embed=1')
    await w.find('[data-test="embed-page-custom"]').trigger('click')
    await w.find('[data-test="embed-page-path"]').setValue('/todos/td-42?tab=done')
    expect(text(w, 'embed-src')).toBe('https://portal.example.com/portal/todos/td-42?tab=done&embed=1')
    expect(text(w, 'embed-direct')).toBe('https://portal.example.com/portal/todos/td-42?tab=done')
    const wecom = new URL(text(w, 'embed-wecom'))
    expect(`${wecom.origin}${wecom.pathname}`).toBe('https://portal.example.com/portal/auth/login')
    expect(wecom.searchParams.get('returnTo')).toBe('/todos/td-42?tab=done')
    // The snippet follows the pick.
    expect(text(w, 'snippet-code')).toContain('src="https://portal.example.com/portal/todos/td-42?tab=done&embed=1"')
  })

  it('the host snippet trusts only the portal origin and its own frame, and copies', async () => {
    const writeText = vi.fn(async () => undefined)
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    stubApi()
    const w = await open()
    const code = text(w, 'snippet-code')
    expect(code).toContain("var PORTAL_ORIGIN = 'https://portal.example.com';")
    expect(code).toContain('event.origin !== PORTAL_ORIGIN || event.source !== frame.contentWindow')
    expect(code).toContain("data.source !== 'wecom-portal'")
    expect(code).toContain("frame.style.height = data.height + 'px'")
    await w.find('[data-test="embed-snippet"] [data-test="copy-button"]').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith(code)
    expect(w.find('[data-test="embed-snippet"] [data-test="copy-button"]').text()).toBe('已复制')
  })
})

describe('hostSnippet', () => {
  it('works as pasted: resizes its iframe and shows the badge, ignoring other origins and frames', () => {
    document.body.innerHTML = ''
    const snippet = hostSnippet('https://portal.example.com/todos?embed=1')
    expect(snippet).toContain('<iframe id="wecom-portal" src="https://portal.example.com/todos?embed=1"')
    const host = document.createElement('div')
    // happy-dom cannot load frames: on the test page the frame is a plain element with its id and style.
    host.innerHTML = snippet.replace(/<(\/?)iframe/g, '<$1div')
    document.body.append(host)
    // innerHTML does not run scripts: run the snippet's script as the host page would.
    const script = host.querySelector('script')!.textContent!
    const listeners: ((e: MessageEvent) => void)[] = []
    const add = vi.spyOn(window, 'addEventListener').mockImplementation((type: string, fn: unknown) => {
      if (type === 'message') listeners.push(fn as (e: MessageEvent) => void)
    })
    new Function(script)()
    add.mockRestore()
    const frame = document.getElementById('wecom-portal') as HTMLElement & { contentWindow?: unknown }
    const badge = document.getElementById('wecom-portal-badge')!
    const send = (data: unknown, origin = 'https://portal.example.com', source: unknown = frame.contentWindow) =>
      listeners.forEach((l) => l({ data, origin, source } as MessageEvent))

    send({ source: 'wecom-portal', type: 'height', height: 900 }, 'https://evil.example')
    send({ source: 'other', type: 'height', height: 900 })
    send({ source: 'wecom-portal', type: 'height', height: 900 }, 'https://portal.example.com', {})
    expect(frame.style.height).toBe('480px')

    send({ source: 'wecom-portal', type: 'height', height: 900 })
    expect(frame.style.height).toBe('900px')
    send({ source: 'wecom-portal', type: 'todos', pending: 120 })
    expect(badge.textContent).toBe('99+')
    expect(badge.hidden).toBe(false)
    send({ source: 'wecom-portal', type: 'todos', pending: 0 })
    expect(badge.hidden).toBe(true)
  })
})
