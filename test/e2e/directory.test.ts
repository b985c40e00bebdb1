import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppProcess } from '../support/app-process'
import { browserSkipReason, newContext, SHOTS, useAppAndBrowser } from '../support/chromium'

const skip = browserSkipReason()

describe.skipIf(!!skip)('directory in Chromium on a phone (app as `pnpm start` runs it: first sync at start-up)', () => {
  let app: AppProcess
  let browser: Browser
  useAppAndBrowser((a, b) => ((app = a), (browser = b)))

  it('search "zs" finds 张三 and opens his card', async () => {
    const page = await (await newContext(browser, 'wecomMobile')).newPage()
    await page.goto(`${app.sandboxUrl}/sandbox/client?userid=lisi&next=${encodeURIComponent(`${app.appUrl}/contacts`)}`)
    const search = page.locator('[data-test="search-input"]')
    await search.waitFor()
    await page.screenshot({ path: join(SHOTS, 'directory-phone.png') })
    await search.fill('zs')
    const hit = page.getByText('张三').first()
    await hit.waitFor()
    await page.screenshot({ path: join(SHOTS, 'directory-search-zs.png') })
    await hit.click()
    await page.waitForURL((u) => u.pathname === '/contacts/members/zhangsan')
    await page.getByText('技术总监').first().waitFor()
    expect(await page.locator('body').innerText()).toContain('研发中心')
    await page.screenshot({ path: join(SHOTS, 'member-card-phone.png'), fullPage: true })
  })

  it('drills down from the root department with breadcrumbs', async () => {
    const page = await (await newContext(browser, 'wecomMobile')).newPage()
    await page.goto(`${app.sandboxUrl}/sandbox/client?userid=lisi&next=${encodeURIComponent(`${app.appUrl}/contacts/departments/1`)}`)
    await page.getByText('研发中心').first().click()
    await page.waitForURL((u) => /\/contacts\/departments\/\d+$/.test(u.pathname) && !u.pathname.endsWith('/1'))
    await page.getByText('张三').first().waitFor()
    await page.screenshot({ path: join(SHOTS, 'department-phone.png') })
  })

  it('on a 1,280 px desktop the breadcrumb shows names in full, and avatars are one style', async () => {
    const page = await (await newContext(browser, 'wecomDesktop')).newPage()
    await page.goto(`${app.sandboxUrl}/sandbox/client?userid=lisi&next=${encodeURIComponent(`${app.appUrl}/contacts/departments/1`)}`)
    await page.getByText('研发中心').first().click()
    await page.waitForURL((u) => /\/contacts\/departments\/\d+$/.test(u.pathname) && !u.pathname.endsWith('/1'))
    await page.getByText('张三').first().waitFor()
    const crumbs = page.locator('[data-test="breadcrumbs"] a, [data-test="breadcrumbs"] [aria-current]')
    expect(await crumbs.count()).toBeGreaterThan(1)
    const cut = await crumbs.evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent))
    expect(cut).toEqual([])
    await page.screenshot({ path: join(SHOTS, 'department-desktop.png') })
  })
})
