import type { Page } from 'playwright-core'

/**
 * Waits, with a bound, until the page has finished loading what it shows: no request in flight,
 * no boot spinner, skeleton or loading indicator, and no transition still running (an audit or a
 * screenshot mid-fade would see half-transparent colours).
 */
export async function settled(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout })
  // Source text: it runs in the page, and the test package has no DOM types.
  const done = `!document.querySelector('.portal-boot, .portal-splash, .van-skeleton, .van-loading, [aria-busy="true"]') &&
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)`
  await page.waitForFunction(done, undefined, { timeout })
}
