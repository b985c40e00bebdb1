import { computed, readonly, ref, type Ref } from 'vue'
import type * as WwModule from '@wecom/jssdk'
import { isWeComClient, type JssdkSignatures } from '@portal/shared'
import { createSignatureCache } from './signature-cache'
import { isCancelled, isRegisterRejection, isSuperseded } from './wecom-sdk-errors'

/** The part of @wecom/jssdk we use; the module itself is loaded only inside WeCom. */
export type Ww = Pick<typeof WwModule, 'register' | 'invoke' | 'ensureConfigReady' | 'openEnterpriseChat' | 'openUserProfile' | 'scanQRCode' | 'shareAppMessage' | 'onMenuShareAppMessage'>

/** The client refuses APIs a page did not list when it registered. */
export const JS_API_LIST = ['openEnterpriseChat', 'openUserProfile', 'scanQRCode', 'shareAppMessage', 'onMenuShareAppMessage', 'closeWindow']

/** `unsupported` outside the WeCom client; `failed` says why in the console. */
export type SdkStatus = 'unsupported' | 'idle' | 'registering' | 'ready' | 'failed'

export type SdkResult<T = void> = { ok: true; value: T } | { ok: false; reason: 'unsupported' | 'cancelled' | 'failed'; message?: string }

export interface ShareContent {
  title: string
  desc: string
  link: string
  imgUrl?: string
}

export interface WecomSdk {
  /** Inside the WeCom client: show the SDK's actions. Outside they are hidden, never broken. */
  readonly supported: boolean
  readonly status: Readonly<Ref<SdkStatus>>
  /** config/agentConfig succeeded: the client accepted our signatures. */
  readonly ready: Readonly<Ref<boolean>>
  /** Registers once (needs a signed-in member: the BFF signs only for members). */
  start(): Promise<boolean>
  /** document.title (WeCom shows it in the navigation bar) and the title of the 转发 card. */
  setTitle(title: string, desc?: string): void
  /** A chat with these members: 1 → direct chat, more → a new group. */
  openChat(userids: string[]): Promise<SdkResult>
  /** The member's WeCom profile page. */
  openProfile(userid: string): Promise<SdkResult>
  closeWindow(): Promise<SdkResult>
  /** What was scanned (QR or barcode). */
  scanQRCode(): Promise<SdkResult<string>>
  /** Forward a link card to a chat the user picks. */
  shareAppMessage(content: ShareContent): Promise<SdkResult>
}

export interface WecomSdkDeps {
  userAgent: string
  load: () => Promise<Ww>
  fetchSignatures: (url: string) => Promise<JssdkSignatures>
  /** location.href */
  pageUrl: () => string
  setDocumentTitle: (title: string) => void
  log: Pick<Console, 'info' | 'warn'>
}

const unsupported = { ok: false, reason: 'unsupported' } as const

function ignoreRegisterRejection(e: PromiseRejectionEvent): void {
  if (isRegisterRejection(e.reason)) e.preventDefault()
}

export function createWecomSdk(deps: WecomSdkDeps): WecomSdk {
  const supported = isWeComClient(deps.userAgent)
  const status = ref<SdkStatus>(supported ? 'idle' : 'unsupported')
  const signatures = createSignatureCache(deps.fetchSignatures)
  let registered: Promise<Ww | undefined> | undefined
  let lastFailure: string | undefined
  let page = { title: '', desc: '' }

  const warn = async (what: string, e: unknown): Promise<string> => {
    const { describeSdkFailure } = await import('./wecom-sdk-failure')
    lastFailure = describeSdkFailure(e)
    deps.log.warn(`[wecom-sdk] ${what} failed: ${lastFailure}`)
    return lastFailure
  }

  async function register(): Promise<Ww> {
    status.value = 'registering'
    const ww = await deps.load()
    // The first signatures also tell us corpId and agentId; the SDK's own first request for
    // this URL is then answered from the cache.
    const first = await signatures(deps.pageUrl().split('#')[0]!)
    // One listener however often this runs: the same function is added once.
    globalThis.addEventListener?.('unhandledrejection', ignoreRegisterRejection)
    ww.register({
      corpId: first.corpId,
      agentId: first.agentId,
      jsApiList: JS_API_LIST,
      // The SDK passes location.href without `#…` — on iOS and Android alike in WeCom — and asks
      // again after the URL changes (history routing); the BFF signs any page under PUBLIC_URL.
      getConfigSignature: async (url) => (await signatures(url)).config,
      getAgentConfigSignature: async (url) => (await signatures(url)).agentConfig,
      onAgentConfigSuccess: () => {
        // Later successes are re-configs after a route change, which setTitle already binds.
        const first = status.value !== 'ready'
        status.value = 'ready'
        if (first) void bindShareMenu()
      },
      onConfigFail: (e) => configFailed('config', e),
      onAgentConfigFail: (e) => configFailed('agentConfig', e),
    })
    return ww
  }

  function configFailed(which: string, e: unknown): void {
    if (isSuperseded(e)) return
    status.value = 'failed'
    void warn(which, e)
  }

  function start(): Promise<boolean> {
    if (!supported) return Promise.resolve(false)
    registered ??= register().catch(async (e: unknown) => {
      status.value = 'failed'
      // Let a later action try again (the session may have come back, the BFF recovered).
      registered = undefined
      await warn('registration', e)
      return undefined
    })
    return registered.then(Boolean)
  }

  /** Runs an API that needs our signatures; failures are logged and returned, never thrown. */
  async function withSdk<T>(name: string, run: (ww: Ww) => Promise<T>): Promise<SdkResult<T>> {
    if (!supported) return unsupported
    await start()
    const ww = await registered
    if (!ww) return { ok: false, reason: 'failed', message: lastFailure }
    try {
      return { ok: true, value: await run(ww) }
    } catch (e) {
      if (isCancelled(e)) return { ok: false, reason: 'cancelled' }
      return { ok: false, reason: 'failed', message: await warn(name, e) }
    }
  }

  /** The ··· menu's 转发 shares the page being shown, not the one the app was opened on. */
  async function bindShareMenu(): Promise<void> {
    const ww = await registered
    if (!ww || status.value !== 'ready') return
    try {
      // Re-signs if the route changed; awaited here because onMenuShareAppMessage would leave
      // a failed config as an unhandled rejection.
      await ww.ensureConfigReady()
    } catch {
      return
    }
    ww.onMenuShareAppMessage({ title: page.title, desc: page.desc, link: deps.pageUrl().split('#')[0]! })
  }

  return {
    supported,
    status: readonly(status),
    ready: computed(() => status.value === 'ready'),
    start,
    setTitle(title, desc = '') {
      deps.setDocumentTitle(title)
      page = { title, desc }
      if (status.value === 'ready') void bindShareMenu()
    },
    openChat: (userids) => withSdk('openEnterpriseChat', async (ww) => void (await ww.openEnterpriseChat({ userIds: userids, groupName: '' }))),
    openProfile: (userid) => withSdk('openUserProfile', async (ww) => void (await ww.openUserProfile({ type: 1, userid }))),
    scanQRCode: () => withSdk('scanQRCode', async (ww) => (await ww.scanQRCode({ needResult: true })).resultStr ?? ''),
    shareAppMessage: (content) => withSdk('shareAppMessage', async (ww) => void (await ww.shareAppMessage({ ...content, imgUrl: content.imgUrl ?? '' }))),
    async closeWindow() {
      if (!supported) return unsupported
      try {
        // A basic client API that needs no signature: straight to the bridge, so it works on
        // pages without a session (problem pages) and when registration failed.
        const ww = registered ? await registered : undefined
        await (ww ?? (await deps.load())).invoke('closeWindow')
        return { ok: true, value: undefined }
      } catch (e) {
        return { ok: false, reason: 'failed', message: await warn('closeWindow', e) }
      }
    },
  }
}
