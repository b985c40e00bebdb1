import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppProcess } from '../support/app-process'
import { browserSkipReason, newContext, profiles, SHOTS, useAppAndBrowser } from '../support/chromium'

const skip = browserSkipReason()

let app: AppProcess
let browser: Browser

/** The WeCom client signed in as `userid`, then opening `path` in the app. */
async function openAsClientUser(page: Page, userid: string, path = '/') {
  const next = `${app.appUrl}${path}`
  await page.goto(`${app.sandboxUrl}/sandbox/client?userid=${userid}&next=${encodeURIComponent(next)}`)
}

describe.skipIf(!!skip)('sign-in in Chromium (app started like `pnpm start`, sandbox mode)', () => {
  useAppAndBrowser((a, b) => ((app = a), (browser = b)))

  it('rejects a tampered state with a clear page', async () => {
    const page = await (await newContext(browser, 'wecomMobile')).newPage()
    await page.goto(`${app.appUrl}/auth/callback?code=abc&state=${'0'.repeat(64)}`)
    await page.getByText('登录链接无效').waitFor()
    expect(new URL(page.url()).pathname).toBe('/problem')
    expect(await page.content()).not.toMatch(/at \w+ \(|Error:/) // never a stack trace
  })

  it('replaying a used callback URL does not sign in', async () => {
    const ctx = await newContext(browser, 'wecomMobile')
    const page = await ctx.newPage()
    const callbacks: string[] = []
    page.on('request', (r) => r.url().includes('/auth/callback') && callbacks.push(r.url()))
    await openAsClientUser(page, 'lisi')
    await page.getByText('李四').first().waitFor()
    const replay = await (await newContext(browser, 'wecomMobile')).newPage()
    await replay.goto(callbacks[0]!)
    await replay.getByText('登录链接已用过').waitFor()
  })

  it('tells a non-member they are not in this corp', async () => {
    const page = await (await newContext(browser, 'wecomMobile')).newPage()
    await openAsClientUser(page, '@external')
    await page.getByText('你不是本企业成员').waitFor()
  })

  it('tells a member who quit that their account is inactive', async () => {
    const page = await (await newContext(browser, 'wecomMobile')).newPage()
    await openAsClientUser(page, 'wangwu')
    await page.getByText('账号已停用').waitFor()
  })

  it('WeCom mobile: opens silently on the home page with name, department and position', async () => {
    const page = await (await newContext(browser, 'wecomMobile')).newPage()
    await openAsClientUser(page, 'zhangsan')
    await page.getByText('张三').first().waitFor()
    expect(page.url()).toBe(`${app.appUrl}/`)
    const text = await page.locator('body').innerText()
    expect(text).toContain('技术总监')
    expect(text).toContain('研发中心')
    expect(text).toContain('沙箱') // the sandbox banner
    await page.screenshot({ path: join(SHOTS, 'home-wecom-mobile.png'), fullPage: true })
  })

  it('WeCom desktop: same silent flow; a new entry as someone else replaces the session', async () => {
    const ctx = await newContext(browser, 'wecomDesktop')
    const page = await ctx.newPage()
    await openAsClientUser(page, 'zhangsan')
    await page.getByText('张三').first().waitFor()
    await page.screenshot({ path: join(SHOTS, 'home-wecom-desktop.png'), fullPage: true })
    // The same desktop client (same cookies) now enters as 李四 through the app homepage link.
    await page.goto(`${app.sandboxUrl}/sandbox/client?userid=lisi&next=${encodeURIComponent(`${app.appUrl}/auth/login?returnTo=%2F`)}`)
    await page.getByText('李四').first().waitFor()
    const me = (await page.evaluate(async () => (await fetch('/api/me')).json())) as { userid: string }
    expect(me.userid).toBe('lisi')
    // Back as 张三 through the plain app URL (an old 应用主页 value): the entry gate confirms who it is.
    const entries: string[] = []
    page.on('request', (r) => r.isNavigationRequest() && r.url().includes('/connect/oauth2/authorize') && entries.push(r.url()))
    await page.goto(`${app.sandboxUrl}/sandbox/client?userid=zhangsan&next=${encodeURIComponent(`${app.appUrl}/me`)}`)
    await page.waitForURL(`${app.appUrl}/me`)
    await page.getByText('技术总监').first().waitFor()
    const again = (await page.evaluate(async () => (await fetch('/api/me')).json())) as { userid: string }
    expect(again.userid).toBe('zhangsan')
    expect(entries).toHaveLength(1)
  })

  it('plain browser: the QR login page, "scanned" in the sandbox, lands home', async () => {
    const page = await (await newContext(browser, 'browser')).newPage()
    await page.goto(`${app.appUrl}/`)
    await page.waitForURL((u) => u.pathname === '/login')
    await page.screenshot({ path: join(SHOTS, 'login-browser.png') })
    await page.getByText('企业微信扫码登录（沙箱）').click()
    await page.waitForURL((u) => u.pathname === '/wwlogin/sso/login')
    await page.locator('[data-choice="zhangsan"]').click()
    await page.getByText('张三').first().waitFor()
    expect(page.url()).toBe(`${app.appUrl}/`)
  })

  it('cold deep link from an existing app lands exactly there after sign-in', async () => {
    const page = await (await newContext(browser, 'wecomMobile')).newPage()
    await openAsClientUser(page, 'zhangsan', '/me?tab=session')
    await page.waitForURL(`${app.appUrl}/me?tab=session`)
    await page.getByText('张三').first().waitFor()
    expect(new URL(page.url()).searchParams.has('code')).toBe(false)
    expect(new URL(page.url()).hash).toBe('')
  })

  it('signs out and stays signed out', async () => {
    const page = await (await newContext(browser, 'phoneBrowser')).newPage()
    await page.goto(`${app.appUrl}/`)
    await page.getByText('企业微信扫码登录（沙箱）').click()
    await page.locator('[data-choice="lisi"]').click()
    await page.getByText('李四').first().waitFor()
    await page.goto(`${app.appUrl}/me`)
    await page.getByText('李四').first().waitFor()
    await page.screenshot({ path: join(SHOTS, 'me-phone.png'), fullPage: true })
    await page.getByRole('button', { name: '退出登录' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('退出后需重新扫码或从企业微信进入。').waitFor()
    await dialog.getByRole('button', { name: '退出登录' }).click()
    await page.waitForURL((u) => u.pathname === '/login')
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401)
  })
})

describe.skipIf(!!skip)('a member without a role (ROLE_POLICY=explicit)', () => {
  let strict: AppProcess
  useAppAndBrowser((a, b) => ((strict = a), (browser = b)), { ROLE_POLICY: 'explicit' })

  it('sees "no permission — ask your admin" with whom to ask', async () => {
    const page = await browser.newPage(profiles.wecomMobile)
    await page.goto(`${strict.sandboxUrl}/sandbox/client?userid=lisi&next=${encodeURIComponent(`${strict.appUrl}/`)}`)
    await page.getByText('暂无权限 — 请联系管理员').waitFor()
    await page.screenshot({ path: join(SHOTS, 'problem-no-role.png') })
  })
})
