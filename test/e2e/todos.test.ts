import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SANDBOX_HOST_KEY } from '@portal/bff/config'
import type { AppProcess } from '../support/app-process'
import { browserSkipReason, newContext, SHOTS, useAppAndBrowser } from '../support/chromium'

const skip = browserSkipReason()

describe.skipIf(!!skip)('a host todo reaches the assignee in WeCom (app as `pnpm start` runs it)', () => {
  let app: AppProcess
  let browser: Browser
  useAppAndBrowser((a, b) => ((app = a), (browser = b)))

  it('created through the host API, it lands in the sandbox inbox; the card signs 李四 in on a phone and shows it', async () => {
    const post = () =>
      fetch(`${app.appUrl}/api/host/todos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SANDBOX_HOST_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ externalId: 'contract-2026-118', assignee: 'lisi', title: '审核采购合同', summary: '星河科技 × 云帆物流 年度框架合同', link: 'https://oa.example.com/contracts/118' }),
      })
    // Until the start-up directory sync has run, 李四 is not a known member (400, field assignee).
    let res = await post()
    for (let i = 0; i < 100 && res.status === 400; i++) {
      await new Promise((r) => setTimeout(r, 100))
      res = await post()
    }
    expect(res.status).toBe(201)
    // The outbox sends in the background: wait for WeCom (the sandbox) to have delivered it.
    let delivered = false
    for (let i = 0; i < 100 && !delivered; i++) {
      const { messages } = (await (await fetch(`${app.sandboxUrl}/sandbox/admin/messages?userid=lisi`)).json()) as { messages: { msgtype: string }[] }
      delivered = messages.some((m) => m.msgtype === 'template_card')
      if (!delivered) await new Promise((r) => setTimeout(r, 100))
    }
    expect(delivered).toBe(true)

    const page = await (await newContext(browser, 'wecomMobile')).newPage()
    await page.goto(`${app.sandboxUrl}/sandbox/inbox/lisi`)
    await page.screenshot({ path: join(SHOTS, 'sandbox-inbox-lisi.png') })
    // The todo card's link (the card itself; its 查看 button goes the same way).
    await page.locator('.tcard a.tpl-open').first().click()
    await page.waitForURL((u) => u.origin === app.appUrl && /^\/todos\/[\w-]+$/.test(u.pathname))
    await page.getByText('审核采购合同').first().waitFor()
    // The source tag names the demo host as people know it (HOST_DISPLAY_NAMES' sandbox default), not by its key's name.
    expect(await page.locator('[data-test="todo-source"]').first().textContent()).toBe('示例 OA')
    await page.screenshot({ path: join(SHOTS, 'todo-detail-phone.png'), fullPage: true })
    const me = (await page.evaluate(async () => (await fetch('/api/me')).json())) as { userid: string }
    expect(me.userid).toBe('lisi')
    // And so does the list.
    await page.goto(`${app.appUrl}/todos`)
    await page.getByText('审核采购合同').first().waitFor()
    expect(await page.locator('[data-test="todo-source"]').allTextContents()).toContain('示例 OA')
    expect(await page.locator('[data-test="todo-source"]').allTextContents()).not.toContain('demo-host')
  })
})
