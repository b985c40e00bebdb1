import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import type { AppProcess } from '../support/app-process'
import { browserSkipReason, profiles, SHOTS, useAppAndBrowser } from '../support/chromium'
import { bridgeCalls, fireClientEvent, installBridge, waitForCall, type BridgeOptions } from '../support/wecom-bridge'

const skip = browserSkipReason()

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex')

let app: AppProcess
let browser: Browser

async function wecomContext(profile: 'iosCurrent' | 'androidOld', opts: BridgeOptions = {}): Promise<BrowserContext> {
  const ctx =
    profile === 'iosCurrent'
      ? await browser.newContext(profiles.wecomMobile)
      : // Before 3.0.24 the client needs wx.config before agentConfig, so both are signed.
        await browser.newContext({ ...profiles.phoneBrowser, userAgent: `${profiles.phoneBrowser.userAgent} wxwork/3.0.16 MicroMessenger/7.0.1` })
  await ctx.addInitScript(installBridge, opts)
  return ctx
}

/** The WeCom client signed in as `userid`, opening `path` in the app. */
async function openAs(page: Page, userid: string, path = '/'): Promise<void> {
  await page.goto(`${app.sandboxUrl}/sandbox/client?userid=${userid}&next=${encodeURIComponent(`${app.appUrl}${path}`)}`)
}

/** What WeCom issued, from the sandbox playing WeCom (the BFF never reveals them). */
async function tickets(): Promise<{ corp: string; agent: string }> {
  const body = (await (await fetch(`${app.sandboxUrl}/sandbox/admin/tickets`)).json()) as { current: Record<string, { ticket: string } | null> }
  return { corp: body.current.corp!.ticket, agent: body.current.agent_config!.ticket }
}

/** The client's own check: sha1 over its ticket, the nonce and timestamp it was given, and the page URL. */
function expectValid(sig: Record<string, unknown>, ticket: string, pageUrl: string): void {
  expect(sig.signature).toBe(sha1(`jsapi_ticket=${ticket}&noncestr=${sig.nonceStr}&timestamp=${sig.timestamp}&url=${pageUrl.split('#')[0]}`))
}

describe.skipIf(!!skip)('WeCom JS-SDK in Chromium with a stand-in native bridge', () => {
  useAppAndBrowser((a, b) => ((app = a), (browser = b)))

  it('a client that rejects agentConfig: the page still works and the console says why', async () => {
    const page = await (await wecomContext('iosCurrent', { fail: { agentConfig: 'agentConfig:fail_invalid signature' } })).newPage()
    const warnings: string[] = []
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()))
    await openAs(page, 'zhangsan')
    await page.getByText('张三').first().waitFor()
    await expect.poll(() => warnings.join('\n')).toMatch(/\[wecom-sdk\] agentConfig failed: agentConfig:invalid signature.*PUBLIC_URL/)
    await page.getByText('个人资料').first().click()
    await page.waitForURL(`${app.appUrl}/me`)
  })

  it('the problem page closes the window through the bridge, without a session or a signature', async () => {
    const page = await (await wecomContext('iosCurrent')).newPage()
    const signing: string[] = []
    page.on('request', (r) => r.url().includes('/api/jssdk/') && signing.push(r.url()))
    await page.goto(`${app.appUrl}/problem?reason=no_role`)
    await page.locator('[data-test="problem-close"]').click()
    await waitForCall(page, 'closeWindow')
    expect(signing).toEqual([])
  })

  it('iOS, current client: agentConfig is signed for the page it is on, and re-signed after a route change', async () => {
    const page = await (await wecomContext('iosCurrent', { scanResult: 'unused' })).newPage()
    await openAs(page, 'zhangsan')
    const [first] = await waitForCall(page, 'agentConfig')
    expect(first!.url).toBe(`${app.appUrl}/`)
    expect(first!.params).toMatchObject({ corpid: SANDBOX_DEFAULTS.corpId, agentid: SANDBOX_DEFAULTS.agentId })
    expect(first!.params.jsApiList).toEqual(expect.arrayContaining(['openEnterpriseChat', 'scanQRCode', 'closeWindow', 'shareAppMessage', 'menu:share:appmessage']))
    const { agent } = await tickets()
    expectValid(first!.params, agent, first!.url)
    // A current client skips wx.config when agentConfig is used.
    expect((await bridgeCalls(page)).some((c) => c.name === 'preVerifyJSAPI')).toBe(false)

    // History routing: same document, new URL. The SDK signs again for the new one.
    await page.getByText('个人资料').first().click()
    await page.waitForURL(`${app.appUrl}/me`)
    const [, second] = await waitForCall(page, 'agentConfig', 2)
    expect(second!.url).toBe(`${app.appUrl}/me`)
    expectValid(second!.params, agent, second!.url)

    // The ··· menu's 转发 shares the page being shown, titled like it.
    await fireClientEvent(page, 'menu:share:appmessage')
    const [share] = await waitForCall(page, 'sendAppMessage')
    expect(share!.params).toMatchObject({ title: '我的 · 员工门户', link: `${app.appUrl}/me` })
    expect(await page.title()).toBe('我的 · 员工门户')
  })

  it('Android, older client: wx.config with the corp ticket, then agentConfig with the app ticket, both valid', async () => {
    const page = await (await wecomContext('androidOld')).newPage()
    await openAs(page, 'lisi', '/me?tab=session')
    const [config] = await waitForCall(page, 'preVerifyJSAPI')
    const [agentConfig] = await waitForCall(page, 'agentConfig')
    expect(config!.url).toBe(`${app.appUrl}/me?tab=session`)
    expect(config!.params).toMatchObject({ appId: SANDBOX_DEFAULTS.corpId, verifySignType: 'sha1' })
    const { corp, agent } = await tickets()
    expectValid({ timestamp: config!.params.verifyTimestamp, nonceStr: config!.params.verifyNonceStr, signature: config!.params.verifySignature }, corp, config!.url)
    expectValid(agentConfig!.params, agent, agentConfig!.url)
    const order = (await bridgeCalls(page)).map((c) => c.name)
    expect(order.indexOf('preVerifyJSAPI')).toBeLessThan(order.indexOf('agentConfig'))
  })

  it('scan on the home page opens the client scanner; a link to one of our pages opens it', async () => {
    const page = await (await wecomContext('iosCurrent', { scanResult: `${app.appUrl}/me?tab=session` })).newPage()
    await openAs(page, 'zhangsan')
    await page.locator('[data-test="action-scan"]').waitFor()
    await page.screenshot({ path: join(SHOTS, 'home-wecom-sdk-actions.png'), fullPage: true })
    await page.locator('[data-test="action-scan"]').click()
    const [scan] = await waitForCall(page, 'scanQRCode')
    expect(scan!.params).toMatchObject({ needResult: 1 })
    await page.waitForURL(`${app.appUrl}/me?tab=session`)
  })

  it('share forwards the portal to a chat the user picks', async () => {
    const page = await (await wecomContext('iosCurrent')).newPage()
    await openAs(page, 'zhangsan')
    await page.locator('[data-test="action-share"]').click()
    const [share] = await waitForCall(page, 'shareAppMessage')
    expect(share!.params).toMatchObject({ title: '员工门户', link: `${app.appUrl}/` })
  })

  it('the member card opens a chat with that member', async () => {
    const page = await (await wecomContext('iosCurrent')).newPage()
    await openAs(page, 'zhangsan', '/contacts/members/lisi')
    await page.locator('[data-test="action-chat"]').click()
    const [chat] = await waitForCall(page, 'openEnterpriseChat')
    expect(chat!.params).toMatchObject({ userIds: 'lisi', useridlist: 'lisi' })
  })

  it('plain browser: no SDK actions, no SDK code, no signature requests', async () => {
    const ctx = await browser.newContext(profiles.phoneBrowser)
    const page = await ctx.newPage()
    const requests: string[] = []
    page.on('request', (r) => requests.push(r.url()))
    await page.goto(`${app.appUrl}/`)
    await page.getByText('企业微信扫码登录（沙箱）').click()
    await page.locator('[data-choice="zhangsan"]').click()
    await page.getByText('张三').first().waitFor()
    expect(await page.locator('[data-test="wecom-actions"]').count()).toBe(0)
    await page.goto(`${app.appUrl}/problem?reason=no_role`)
    await page.locator('[data-test="problem-action"]').waitFor()
    expect(await page.locator('[data-test="problem-close"]').count()).toBe(0)
    expect(requests.filter((u) => u.includes('/api/jssdk/') || /wecom\.prod/.test(u))).toEqual([])
  })
})
