import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppProcess } from '../support/app-process'
import { browserSkipReason, profiles, SHOTS, useAppAndBrowser } from '../support/chromium'

const skip = browserSkipReason()

describe.skipIf(!!skip)('补充联系方式 on a 375 px phone (CONTACT_CONSENT=true)', () => {
  let app: AppProcess
  let browser: Browser
  useAppAndBrowser((a, b) => ((app = a), (browser = b)), { CONTACT_CONSENT: 'true' })

  it('offers it once on 我的, goes through WeCom\'s consent page, then shows the shared details with a way to withdraw', async () => {
    const context = await browser.newContext({ ...profiles.wecomMobile, viewport: { width: 375, height: 812 } })
    const page = await context.newPage()
    await page.goto(`${app.sandboxUrl}/sandbox/client?userid=lisi&next=${encodeURIComponent(`${app.appUrl}/me`)}`)
    const prompt = page.locator('[data-test="contact-prompt"]')
    await prompt.waitFor()
    expect(await prompt.innerText()).toContain('补充联系方式')
    // Unobtrusive: the profile is still there below it, and nothing runs off the side.
    await page.getByText('个人资料').waitFor()
    expect(await page.locator('html').evaluate((el) => (el as unknown as { scrollWidth: number }).scrollWidth)).toBeLessThanOrEqual(375)
    await page.screenshot({ path: join(SHOTS, 'me-contact-prompt-375.png') })

    await page.locator('[data-test="contact-consent"]').click()
    const agree = page.locator('[data-sandbox="consent-agree"]')
    await agree.waitFor()
    await page.screenshot({ path: join(SHOTS, 'sandbox-consent-375.png') })
    await agree.click()

    await page.waitForURL((u) => u.pathname === '/me')
    const mine = page.locator('[data-test="my-contact"]')
    await mine.waitFor()
    expect(await mine.innerText()).toMatch(/lisi@xinghe-tech\.com/)
    expect(await page.locator('[data-test="contact-prompt"]').count()).toBe(0)
    // The outcome mark is dropped from the address once shown.
    expect(new URL(page.url()).searchParams.has('contact')).toBe(false)
    await page.screenshot({ path: join(SHOTS, 'me-contact-shared-375.png'), fullPage: true })

    // Not asked again on the next visit.
    await page.reload()
    await mine.waitFor()
    expect(await page.locator('[data-test="contact-prompt"]').count()).toBe(0)

    // Another member's card shows what 李四 shared, marked as hers.
    await page.goto(`${app.sandboxUrl}/sandbox/client?userid=zhouba&next=${encodeURIComponent(`${app.appUrl}/contacts/members/lisi`)}`)
    await page.locator('[data-test="contact-email"]').waitFor()
    expect(await page.locator('[data-test="contact-self-provided"]').count()).toBeGreaterThan(0)
    await page.screenshot({ path: join(SHOTS, 'member-card-consented-375.png'), fullPage: true })
    await context.close()
  })
})
