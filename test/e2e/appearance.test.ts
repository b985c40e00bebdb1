import { join } from 'node:path'
import type { Browser, BrowserContextOptions, Page, Route } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppProcess } from '../support/app-process'
import { browserSkipReason, profiles, SHOTS, useAppAndBrowser } from '../support/chromium'

const skip = browserSkipReason()

let app: AppProcess
let browser: Browser

/** The WeCom phone client with the theme and language it reports in its User-Agent. */
const wecomPhone = (scheme: 'Dark' | 'Light', language: 'zh' | 'en' = 'zh', system: 'light' | 'dark' = 'light'): BrowserContextOptions => ({
  ...profiles.wecomMobile,
  viewport: { width: 375, height: 812 },
  colorScheme: system,
  userAgent: profiles.wecomMobile.userAgent.replace('ColorScheme/Light', `ColorScheme/${scheme}`).replace('Language/zh', `Language/${language}`),
})

async function signedIn(options: BrowserContextOptions, userid: string, path = '/'): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage()
  await page.goto(`${app.sandboxUrl}/sandbox/client?userid=${userid}&next=${encodeURIComponent(`${app.appUrl}${path}`)}`)
  await page.waitForURL((u) => u.origin === app.appUrl && u.pathname === path)
  return page
}

// The test package has no DOM types: what runs in the page is passed as source text.
const backgroundOf = (page: Page, selector: string) => page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`)
const isDark = async (page: Page) => ((await page.locator('html').getAttribute('class')) ?? '').split(' ').includes('van-theme-dark')
const DARK_CLASS_IS = (on: boolean) => `document.documentElement.classList.contains('van-theme-dark') === ${on}`

/** What is on screen: the boot spinner (no app code has run yet), the theme, the page colour. */
async function firstPaint(page: Page) {
  return {
    booting: (await page.locator('.portal-boot').count()) === 1,
    dark: await isDark(page),
    background: await backgroundOf(page, 'body'),
    themeColor: await page.locator('meta[name="theme-color"]').getAttribute('content'),
  }
}

/**
 * Opens `path` with the app's entry script held back, so what the page shows is what index.html
 * (its inline script and the style sheet) decided alone; then lets the script through.
 */
async function openHoldingTheApp(page: Page, path: string): Promise<{ release: () => void }> {
  let release!: () => void
  const released = new Promise<void>((r) => (release = r))
  const entry = /\/assets\/index-[\w-]+\.js$/
  await page.route(entry, async (route: Route) => {
    await released
    await route.continue()
  })
  void page.goto(`${app.appUrl}${path}`).catch(() => {})
  await page.locator('.portal-boot').waitFor()
  // Style sheets in <head> block rendering: the first frame is painted once they are in.
  await page.waitForFunction(`[...document.querySelectorAll('link[rel="stylesheet"]')].every((l) => l.sheet)`)
  return { release }
}

describe.skipIf(!!skip)('dark mode that follows WeCom, and WeCom\'s language (app as `pnpm start` runs it)', () => {
  useAppAndBrowser((a, b) => ((app = a), (browser = b)))

  it('a WeCom client in dark paints dark from the first frame, before the app\'s code runs', async () => {
    // The phone itself is light: only the client's ColorScheme/Dark says dark.
    const page = await signedIn(wecomPhone('Dark'), 'lisi')
    const { release } = await openHoldingTheApp(page, '/contacts')
    expect(await firstPaint(page)).toEqual({ booting: true, dark: true, background: 'rgb(15, 17, 20)', themeColor: '#0f1114' })
    await page.screenshot({ path: join(SHOTS, 'theme-boot-dark-phone.png') })
    release()
    await page.locator('[data-test="search-input"]').waitFor()
    expect((await firstPaint(page)).dark).toBe(true)
    // The tab bar is a chunk of its own that may arrive after the page's first content.
    await page.locator('.van-tabbar').waitFor()
    expect(await backgroundOf(page, '.van-tabbar')).toBe('rgb(27, 29, 34)')
  })

  it('a WeCom client in light stays light on a phone set to dark', async () => {
    const page = await signedIn(wecomPhone('Light', 'zh', 'dark'), 'lisi')
    const { release } = await openHoldingTheApp(page, '/')
    expect(await firstPaint(page)).toEqual({ booting: true, dark: false, background: 'rgb(244, 246, 249)', themeColor: '#f4f6f9' })
    release()
    await page.getByText('李四').first().waitFor()
    expect((await firstPaint(page)).dark).toBe(false)
  })

  it('a browser follows prefers-color-scheme from the first frame, and when it changes while open', async () => {
    const page = await (await browser.newContext({ ...profiles.browser, colorScheme: 'dark' })).newPage()
    const { release } = await openHoldingTheApp(page, '/login')
    expect(await firstPaint(page)).toMatchObject({ booting: true, dark: true, background: 'rgb(15, 17, 20)' })
    release()
    await page.getByText('企业微信扫码登录（沙箱）').waitFor()
    await page.emulateMedia({ colorScheme: 'light' })
    await page.waitForFunction(DARK_CLASS_IS(false))
    expect(await backgroundOf(page, 'body')).toBe('rgb(244, 246, 249)')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForFunction(DARK_CLASS_IS(true))
    await page.screenshot({ path: join(SHOTS, 'theme-login-dark-desktop.png') })
  })

  it('the H5 speaks the language set in the WeCom client until the member chooses one', async () => {
    // The phone is Chinese (locale zh-CN); the client is set to English.
    const page = await signedIn(wecomPhone('Light', 'en'), 'lisi', '/me')
    await page.locator('.van-tabbar').getByText('Contacts').waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    await page.screenshot({ path: join(SHOTS, 'language-wecom-en-phone.png'), fullPage: true })

    // The member picks Chinese: it sticks over the client's language, across a reload.
    await page.getByText('Language 语言').click()
    await page.getByRole('button', { name: '简体中文' }).click()
    await page.locator('.van-tabbar').getByText('通讯录').waitFor()
    await page.reload()
    await page.locator('.van-tabbar').getByText('通讯录').waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')

    // "Follow the system" goes back to the client's language.
    await page.getByText('语言 Language').click()
    await page.getByRole('button', { name: '跟随系统' }).click()
    await page.locator('.van-tabbar').getByText('Contacts').waitFor()
  })

  it('English text is a chunk of its own: a Chinese visit never downloads it, an English one shows no page before it is there', async () => {
    const englishChunk = /\/assets\/messages-en-[\w-]+\.js$/
    const zhPage = await signedIn(wecomPhone('Light', 'zh'), 'lisi', '/me')
    const asked: string[] = []
    zhPage.on('request', (r) => asked.push(r.url()))
    await zhPage.reload()
    await zhPage.locator('.van-tabbar').getByText('通讯录').waitFor()
    expect(asked.filter((u) => englishChunk.test(u))).toEqual([])
    await zhPage.context().close()

    // The English chunk held back: the session has answered, yet no page shows, so none in Chinese.
    const ctx = await browser.newContext(wecomPhone('Light', 'en'))
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    await ctx.route(englishChunk, async (route: Route) => {
      await released
      await route.continue()
    })
    const enPage = await ctx.newPage()
    const me = enPage.waitForResponse((r) => new URL(r.url()).pathname === '/api/me' && r.ok())
    await enPage.goto(`${app.sandboxUrl}/sandbox/client?userid=lisi&next=${encodeURIComponent(`${app.appUrl}/me`)}`)
    await me
    await enPage.waitForTimeout(500)
    expect(await enPage.locator('.van-tabbar').count()).toBe(0)
    expect(await enPage.locator('body').innerText()).not.toMatch(/我的|通讯录/)
    release()
    await enPage.locator('.van-tabbar').getByText('Contacts').waitFor()
    expect(await enPage.locator('body').innerText()).not.toMatch(/我的|通讯录/)
    await ctx.close()
  })
})
