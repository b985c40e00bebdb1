import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { startAppProcess, type AppProcess } from './app-process'
import { chromium, devices, type Browser, type BrowserContext } from 'playwright-core'
import { watchPageErrors } from './page-errors'

export const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (p): p is string => !!p && existsSync(p),
)

/** Why the browser suite cannot run here, or undefined when it can. Logged loudly by the suite. */
export function browserSkipReason(): string | undefined {
  if (CHROMIUM) return undefined
  const why = 'no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)'
  if (process.env.REQUIRE_ALL_SUITES === '1') throw new Error(`REQUIRE_ALL_SUITES=1 but the browser suite cannot run: ${why}`)
  console.warn(`\n  !!! SKIPPED: browser (e2e) suite — ${why}\n`)
  return why
}

export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  return watchPageErrors(browser)
}

const WXWORK = 'wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light'
export const profiles = {
  /** iPhone 13 with the WeCom client's UA suffix. */
  wecomMobile: { ...devices['iPhone 13'], userAgent: `${devices['iPhone 13'].userAgent} ${WXWORK}`, locale: 'zh-CN' },
  wecomDesktop: {
    viewport: { width: 1280, height: 800 },
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0.5304.110 Safari/537.36 Language/zh wxwork/4.1.22 (MicroMessenger/6.2) WindowsWechat',
    locale: 'zh-CN',
  },
  browser: { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' },
  phoneBrowser: { ...devices['Pixel 7'], locale: 'zh-CN' },
}

export async function newContext(browser: Browser, profile: keyof typeof profiles): Promise<BrowserContext> {
  return browser.newContext(profiles[profile])
}

export const SHOTS = join(import.meta.dirname, '../output/screenshots')

/**
 * The app as `pnpm start` runs it (a child process) and a Chromium, started side by side: when one
 * fails to start, the other is stopped before the error is thrown, so neither outlives the file.
 */
export async function startAppAndBrowser(env: Record<string, string> = {}): Promise<{ app: AppProcess; browser: Browser }> {
  const [app, browser] = await Promise.allSettled([startAppProcess(env), launchChromium()])
  if (app.status === 'fulfilled' && browser.status === 'fulfilled') return { app: app.value, browser: browser.value }
  await Promise.allSettled([app.status === 'fulfilled' && app.value.stop(), browser.status === 'fulfilled' && browser.value.close()])
  throw app.status === 'rejected' ? app.reason : (browser as PromiseRejectedResult).reason
}

/** The e2e fixture: startAppAndBrowser in beforeAll (handed to `ready`), both stopped in afterAll. */
export function useAppAndBrowser(ready: (app: AppProcess, browser: Browser) => void, env: Record<string, string> = {}): void {
  let started: { app: AppProcess; browser: Browser } | undefined
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    started = await startAppAndBrowser(env)
    ready(started.app, started.browser)
  })
  afterAll(async () => {
    try {
      await started?.browser.close()
    } finally {
      await started?.app.stop()
    }
  })
}
