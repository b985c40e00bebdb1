import { describe, expect, it, vi } from 'vitest'
import type { JssdkSignatures } from '@portal/shared'
import { ApiRequestError } from '../src/api/http'
import { createWecomSdk, JS_API_LIST, type Ww, type WecomSdkDeps } from '../src/lib/wecom-sdk'
import { eventually } from './wait'

const WECOM_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1'
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'
const PAGE = 'https://portal.example.com/portal/contacts?q=1'

type RegisterOptions = Parameters<Ww['register']>[0]

const signed = (url: string): JssdkSignatures => ({
  corpId: 'wwcorp',
  agentId: '1000002',
  config: { timestamp: 1, nonceStr: `c-${url}`, signature: 'c'.repeat(40) },
  agentConfig: { timestamp: 1, nonceStr: `a-${url}`, signature: 'a'.repeat(40) },
})

/**
 * A stand-in for @wecom/jssdk on a modern client: register asks for the agentConfig signature of
 * the current URL and reports success, or `configError`; every API call is recorded.
 */
function fakeWw(opts: { configError?: unknown; apiError?: unknown } = {}) {
  const calls: { name: string; params?: unknown }[] = []
  let options: RegisterOptions | undefined
  let page = PAGE
  const api =
    (name: string) =>
    async (params?: unknown): Promise<never> => {
      calls.push({ name, params })
      if (opts.apiError) throw opts.apiError
      return { errMsg: `${name}:ok`, errCode: 0, resultStr: 'scanned-text' } as never
    }
  const ww = {
    register: (o: RegisterOptions) => {
      options = o
      void (async () => {
        try {
          const sig = await o.getAgentConfigSignature!(page.split('#')[0]!)
          calls.push({ name: 'agentConfig', params: sig })
          if (opts.configError) throw opts.configError
          o.onAgentConfigSuccess?.({ errMsg: 'agentConfig:ok', errCode: 0 } as never)
        } catch (e) {
          o.onAgentConfigFail?.(e as never)
        }
      })()
    },
    invoke: async (name: string) => {
      calls.push({ name: `invoke:${name}` })
      return { errMsg: `${name}:ok`, errCode: 0 }
    },
    ensureConfigReady: async () => ({}) as never,
    openEnterpriseChat: api('openEnterpriseChat'),
    openUserProfile: api('openUserProfile'),
    scanQRCode: api('scanQRCode'),
    shareAppMessage: api('shareAppMessage'),
    onMenuShareAppMessage: (params: unknown) => void calls.push({ name: 'onMenuShareAppMessage', params }),
  } as unknown as Ww
  return { ww, calls, options: () => options, goTo: (url: string) => (page = url) }
}

function setup(over: Partial<WecomSdkDeps> & { ww?: ReturnType<typeof fakeWw> } = {}) {
  const fake = over.ww ?? fakeWw()
  const deps = {
    userAgent: WECOM_UA,
    load: vi.fn(async () => fake.ww),
    fetchSignatures: vi.fn(async (url: string) => signed(url)),
    pageUrl: () => `${PAGE}#frag`,
    setDocumentTitle: vi.fn(),
    log: { info: vi.fn(), warn: vi.fn() },
    ...over,
  }
  return { sdk: createWecomSdk(deps), deps, fake }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('WeCom SDK: outside WeCom and failures', () => {
  it('outside WeCom: unsupported, nothing loaded or fetched, every action says so', async () => {
    const { sdk, deps } = setup({ userAgent: BROWSER_UA })
    expect(sdk.supported).toBe(false)
    expect(sdk.status.value).toBe('unsupported')
    expect(await sdk.start()).toBe(false)
    for (const r of [await sdk.openChat(['lisi']), await sdk.closeWindow(), await sdk.scanQRCode(), await sdk.openProfile('lisi'), await sdk.shareAppMessage({ title: 't', desc: 'd', link: PAGE })]) {
      expect(r).toEqual({ ok: false, reason: 'unsupported' })
    }
    expect(deps.load).not.toHaveBeenCalled()
    expect(deps.fetchSignatures).not.toHaveBeenCalled()
    sdk.setTitle('首页')
    expect(deps.setDocumentTitle).toHaveBeenCalledWith('首页')
  })

  it('the BFF refusing to sign: the page carries on, the console says why, a later action tries again', async () => {
    const fetchSignatures = vi.fn(async (): Promise<JssdkSignatures> => {
      throw new ApiRequestError({ status: 400, code: 'bad_request', message: 'Only pages of this app can be signed', hint: 'Open the app at PUBLIC_URL.' })
    })
    const { sdk, deps, fake } = setup({ fetchSignatures })
    expect(await sdk.start()).toBe(false)
    expect(sdk.status.value).toBe('failed')
    expect(deps.log.warn).toHaveBeenCalledWith(expect.stringMatching(/^\[wecom-sdk\] registration failed: the BFF could not sign this page: bad_request: Only pages.*PUBLIC_URL/))
    expect(fake.options()).toBeUndefined()
    const chat = await sdk.openChat(['lisi'])
    expect(chat).toMatchObject({ ok: false, reason: 'failed', message: expect.stringMatching(/bad_request/) })
    expect(fetchSignatures).toHaveBeenCalledTimes(2)
  })

  it('the client rejecting agentConfig: status failed, and the errcode explained from the shared table', async () => {
    const ww = fakeWw({ configError: { errMsg: 'agentConfig:fail_invalid signature', errCode: 40093 } })
    const { sdk, deps } = setup({ ww })
    await sdk.start()
    await eventually(() => expect(deps.log.warn).toHaveBeenCalledWith(expect.stringMatching(/agentConfig failed: agentConfig:fail_invalid signature \(errCode 40093\) — .*PUBLIC_URL/)))
    expect(sdk.status.value).toBe('failed')
    expect(sdk.ready.value).toBe(false)
  })

  it('a config dropped because the route changed meanwhile is not a failure', async () => {
    const ww = fakeWw({ configError: new Error('SDK Error: Aborted') })
    const { sdk, deps } = setup({ ww })
    await sdk.start()
    await settle()
    expect(sdk.status.value).not.toBe('failed')
    expect(deps.log.warn).not.toHaveBeenCalled()
  })

  it('the user cancelling the scanner is not a failure; a failing API is logged and returned', async () => {
    const cancelled = setup({ ww: fakeWw({ apiError: { errMsg: 'scanQRCode:cancel', errCode: -1 } }) })
    expect(await cancelled.sdk.scanQRCode()).toEqual({ ok: false, reason: 'cancelled' })
    expect(cancelled.deps.log.warn).not.toHaveBeenCalled()
    const broken = setup({ ww: fakeWw({ apiError: { errMsg: 'openEnterpriseChat:fail_no permission', errCode: -1 } }) })
    expect(await broken.sdk.openChat(['lisi'])).toMatchObject({ ok: false, reason: 'failed' })
    expect(broken.deps.log.warn).toHaveBeenCalledWith(expect.stringMatching(/openEnterpriseChat failed: .*jsApiList/))
  })
})

describe('WeCom SDK: inside WeCom', () => {
  it('registers with the ids from the BFF, our jsApiList, and both signature callbacks', async () => {
    const { sdk, fake } = setup()
    expect(sdk.supported).toBe(true)
    expect(await sdk.start()).toBe(true)
    await settle()
    expect(fake.options()).toMatchObject({ corpId: 'wwcorp', agentId: '1000002', jsApiList: JS_API_LIST })
    expect(sdk.status.value).toBe('ready')
    expect(sdk.ready.value).toBe(true)
  })

  it('signs exactly the URL the SDK passes; one BFF request serves config and agentConfig of a page', async () => {
    const { sdk, deps, fake } = setup()
    await sdk.start()
    await settle()
    const options = fake.options()!
    expect(await options.getConfigSignature!(PAGE)).toEqual(signed(PAGE).config)
    expect(await options.getAgentConfigSignature!(PAGE)).toEqual(signed(PAGE).agentConfig)
    expect(vi.mocked(deps.fetchSignatures).mock.calls).toEqual([[PAGE]]) // the fragment never goes out either
    const next = 'https://portal.example.com/portal/me'
    await options.getAgentConfigSignature!(next)
    expect(vi.mocked(deps.fetchSignatures).mock.calls).toEqual([[PAGE], [next]])
  })

  it('registers once, however many callers start it', async () => {
    const { sdk, deps } = setup()
    await Promise.all([sdk.start(), sdk.start(), sdk.openChat(['a'])])
    expect(deps.load).toHaveBeenCalledTimes(1)
    expect(deps.fetchSignatures).toHaveBeenCalledTimes(1)
  })

  it('openChat opens a chat with exactly those members; openProfile the member card', async () => {
    const { sdk, fake } = setup()
    expect(await sdk.openChat(['lisi', 'wangwu'])).toEqual({ ok: true, value: undefined })
    await sdk.openProfile('lisi')
    expect(fake.calls).toContainEqual({ name: 'openEnterpriseChat', params: { userIds: ['lisi', 'wangwu'], groupName: '' } })
    expect(fake.calls).toContainEqual({ name: 'openUserProfile', params: { type: 1, userid: 'lisi' } })
  })

  it('scanQRCode returns what was scanned', async () => {
    const { sdk } = setup()
    expect(await sdk.scanQRCode()).toEqual({ ok: true, value: 'scanned-text' })
  })

  it('closeWindow goes straight to the bridge: no signature, works on pages without a session', async () => {
    const { sdk, deps, fake } = setup()
    expect(await sdk.closeWindow()).toEqual({ ok: true, value: undefined })
    expect(fake.calls).toEqual([{ name: 'invoke:closeWindow' }])
    expect(deps.fetchSignatures).not.toHaveBeenCalled()
  })

  it("setTitle sets the title and, once registered, the 转发 card: this page's link without its fragment", async () => {
    const { sdk, deps, fake } = setup()
    sdk.setTitle('通讯录 · 员工门户', '员工门户')
    await sdk.start()
    await settle()
    expect(deps.setDocumentTitle).toHaveBeenCalledWith('通讯录 · 员工门户')
    expect(fake.calls).toContainEqual({ name: 'onMenuShareAppMessage', params: { title: '通讯录 · 员工门户', desc: '员工门户', link: PAGE } })
  })
})

describe('WeCom SDK: what ww.register leaves unhandled', () => {
  it('a refused config is reported once (onAgentConfigFail), not again as an uncaught rejection', async () => {
    const { isRegisterRejection } = await import('../src/lib/wecom-sdk-errors')
    expect(isRegisterRejection({ errMsg: 'agentConfig:invalid signature', errCode: 40093 })).toBe(true)
    expect(isRegisterRejection({ errMsg: 'preVerifyJSAPI:fail' })).toBe(true)
    expect(isRegisterRejection(new Error('SDK Error: Aborted'))).toBe(true)
    // Anything else stays an error the page (and a corp's monitor) should see.
    expect(isRegisterRejection({ errMsg: 'scanQRCode:fail' })).toBe(false)
    expect(isRegisterRejection(new Error('boom'))).toBe(false)
  })
})
