import type { Browser } from 'playwright-core'
import { startAppProcess } from '../support/app-process'
import { launchChromium, newContext, profiles } from '../support/chromium'

/**
 * Chrome DevTools' "Fast 4G" preset (its network-conditions presets: 9 Mbps down, 1.5 Mbps up,
 * 60 ms RTT, scaled as DevTools scales them) and a 4× slower CPU: a mid-range phone on a good
 * mobile network. https://developer.chrome.com/docs/devtools/settings/throttling
 */
const FAST_4G = { offline: false, latency: 60 * 2.75, downloadThroughput: (9_000_000 / 8) * 0.9, uploadThroughput: (1_500_000 / 8) * 0.9 }
const CPU_SLOWDOWN = 4
const RUNS = Number(process.env.BENCH_PAINT_RUNS ?? 3)
const PAGES = { '/': '.van-tabbar', '/contacts': '[data-test="search-input"]', '/todos': '[data-test="tab-count"]' }

/**
 * First contentful paint of the H5's member pages, each loaded RUNS times into an empty cache
 * by a signed-in member on a throttled phone; the median is reported, with the time until the
 * page's own content (its data) shows. The sign-in itself (the OAuth round trip through WeCom)
 * is not part of it: the figures are the H5's own cost.
 */
export async function firstPaint() {
  const app = await startAppProcess()
  let browser: Browser | undefined
  try {
    browser = await launchChromium()
    const signIn = await (await newContext(browser, 'wecomMobile')).newPage()
    await signIn.goto(`${app.sandboxUrl}/sandbox/client?userid=lisi&next=${encodeURIComponent(`${app.appUrl}/`)}`)
    await signIn.waitForURL((u) => u.origin === new URL(app.appUrl).origin && u.pathname === '/')
    const session = await signIn.context().storageState()
    await signIn.context().close()
    const out: Record<string, { fcpMs: number; contentMs: number; runs: number[] }> = {}
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    for (const [path, ready] of Object.entries(PAGES)) {
      const runs: number[] = []
      const content: number[] = []
      for (let i = 0; i < RUNS; i++) {
        const context = await browser.newContext({ ...profiles.phoneBrowser, storageState: session })
        try {
          const page = await context.newPage()
          const cdp = await context.newCDPSession(page)
          await cdp.send('Network.enable')
          await cdp.send('Network.emulateNetworkConditions', FAST_4G)
          await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN })
          await page.goto(`${app.appUrl}${path}`)
          // When the page's own content is there (its data loaded), on the page's clock.
          const contentAt = await (await page.waitForFunction(`document.querySelector(${JSON.stringify(ready)}) && performance.now()`, undefined, { polling: 'raf', timeout: 30_000 })).jsonValue()
          if (new URL(page.url()).pathname !== path) throw new Error(`${path} ended at ${page.url()}: not signed in?`)
          const fcp: number = await page.evaluate(`new Promise((resolve) => {
            const seen = performance.getEntriesByName('first-contentful-paint')[0]
            if (seen) return resolve(seen.startTime)
            new PerformanceObserver((l) => resolve(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true })
          })`)
          runs.push(Math.round(fcp))
          content.push(Math.round(contentAt as number))
        } finally {
          await context.close()
        }
      }
      out[path] = { fcpMs: median(runs), contentMs: median(content), runs }
    }
    return out
  } finally {
    await browser?.close()
    await app.stop()
  }
}
