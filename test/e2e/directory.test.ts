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

  it('people visible on their own or through a tag show under 其他可见成员; the confirmed held run reads 已确认', async () => {
    const admin = async (path: string, body: unknown) => {
      const res = await fetch(`${app.sandboxUrl}/sandbox/admin/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect(res.status).toBe(200)
    }
    // 研发中心, 吴九 by name and 孙七 through a tag: everyone else would go, so the run is held.
    await admin('settings', {
      tags: [{ tagid: 21, tagname: '门户试点', users: ['sunqi'], departments: [] }],
      visibleRange: { departments: [2], users: ['wujiu'], tags: [21] },
    })
    const page = await (await newContext(browser, 'wecomMobile')).newPage()
    await page.goto(`${app.sandboxUrl}/sandbox/client?userid=zhangsan&next=${encodeURIComponent(`${app.appUrl}/admin/sync`)}`)
    await page.locator('[data-test="sync-run"]').first().waitFor()
    const api = (method: string, path: string, body?: unknown) =>
      page.evaluate(
        async ([m, p, b]) => {
          const res = await fetch(p as string, { method: m as string, headers: { 'content-type': 'application/json' }, body: b === undefined ? undefined : JSON.stringify(b) })
          return (await res.json()) as { id: number; status: string }
        },
        [method, path, body] as const,
      )
    const settle = async (id: number) => {
      for (let i = 0; i < 300; i++) {
        const run = await api('GET', `/api/admin/sync/runs/${id}`)
        if (run.status !== 'running') return run
        await page.waitForTimeout(100)
      }
      throw new Error(`run ${id} still running`)
    }
    const held = await settle((await api('POST', '/api/admin/sync/runs', { kind: 'full' })).id)
    expect(held.status).toBe('held')
    const done = await settle((await api('POST', `/api/admin/sync/runs/${held.id}/confirm`)).id)
    expect(done.status).toBe('succeeded')
    await page.reload()
    await page.locator('[data-test="run-confirmed"]').waitFor()
    expect(await page.locator('[data-test="run-confirmed"]').innerText()).toContain(`由同步 #${done.id} 执行`)
    await page.screenshot({ path: join(SHOTS, 'sync-confirmed-phone.png'), fullPage: true })

    const member = await (await newContext(browser, 'wecomMobile')).newPage()
    await member.goto(`${app.sandboxUrl}/sandbox/client?userid=lisi&next=${encodeURIComponent(`${app.appUrl}/contacts`)}`)
    const others = member.locator('[data-test="other-members"]')
    await others.waitFor()
    expect(await others.innerText()).toContain('2 人')
    await member.screenshot({ path: join(SHOTS, 'directory-other-members-link.png') })
    await others.click()
    await member.waitForURL((u) => u.pathname === '/contacts/others')
    await member.getByText('吴九').first().waitFor()
    expect(await member.locator('body').innerText()).toContain('孙七')
    await member.screenshot({ path: join(SHOTS, 'directory-other-members.png') })
  })
})
