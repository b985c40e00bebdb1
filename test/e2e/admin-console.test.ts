import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import type { AppProcess } from '../support/app-process'
import { browserSkipReason, newContext, profiles, SHOTS, useAppAndBrowser } from '../support/chromium'

const skip = browserSkipReason()

/** Set, so secrets saved in the console are encrypted with a key that outlives the process. */
const SESSION_SECRET = 'e2e-admin-console-session-secret-0123456789'
const VERIFY_NAME = 'WW_verify_Ab12Cd34Ef56Gh78.txt'
const VERIFY_CODE = 'Zy98Xw76Vu54Ts32'

let app: AppProcess
let browser: Browser

/** The WeCom client signed in as `userid`, then opening `path` in the app. */
async function openAsClientUser(page: Page, userid: string, path: string) {
  await page.goto(`${app.sandboxUrl}/sandbox/client?userid=${userid}&next=${encodeURIComponent(`${app.appUrl}${path}`)}`)
}

/** Status and body of a same-origin request made by the page (its session cookie included). */
function api(page: Page, path: string): Promise<{ status: number; body: unknown }> {
  return page.evaluate(async (p) => {
    const res = await fetch(p)
    return { status: res.status, body: await res.json().catch(() => null) }
  }, path)
}

type Field = { key: string; set: boolean; value?: string | boolean; masked?: string; source: string }
async function settingField(page: Page, key: string): Promise<Field> {
  const { status, body } = await api(page, '/api/admin/settings')
  expect(status).toBe(200)
  return (body as { fields: Field[] }).fields.find((f) => f.key === key)!
}

const row = (page: Page, key: string) => page.locator(`[data-test="setting"][data-key="${key}"]`)
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name), fullPage: true })

describe.skipIf(!!skip)('admin console in Chromium (app as `pnpm start` runs it, sandbox corp)', () => {
  useAppAndBrowser((a, b) => ((app = a), (browser = b)), { SESSION_SECRET })

  it('refuses a member without the admin role: a clear page, no console, and 403 from the API', async () => {
    const page = await (await newContext(browser, 'wecomMobile')).newPage()
    for (const path of ['/admin', '/admin/settings']) {
      await openAsClientUser(page, 'lisi', path)
      await page.getByText('仅管理员可用').waitFor()
      expect(new URL(page.url()).pathname).toBe('/problem')
      const text = await page.locator('body').innerText()
      expect(text).not.toContain('接入向导')
      expect(text).not.toContain('通讯录同步 Secret')
    }
    await shot(page, 'admin-refused-phone.png')
    for (const path of ['/api/admin/settings', '/api/admin/setup', '/api/admin/roles']) {
      const { status, body } = await api(page, path)
      expect(status, path).toBe(403)
      expect(JSON.stringify(body)).not.toContain(SANDBOX_DEFAULTS.secret)
    }
  })

  describe('an admin completes setup from the console on a phone', () => {
    let page: Page

    it('opens the hub, then the setup guide with the homepage (/auth/login) to paste', async () => {
      page = await (await newContext(browser, 'wecomMobile')).newPage()
      await openAsClientUser(page, 'zhangsan', '/admin')
      await page.getByRole('heading', { name: '管理后台' }).waitFor()
      for (const card of ['接入向导', '应用设置', '连接体检', '通讯录同步', '角色与权限', '嵌入与深链接']) {
        await page.getByRole('link', { name: new RegExp(card) }).waitFor()
      }
      await shot(page, 'admin-hub-phone.png')

      await page.getByRole('link', { name: /接入向导/ }).click()
      await page.waitForURL((u) => u.pathname === '/admin/setup')
      const homepage = await page.locator('[data-field="homepageUrl"] [data-test="copy-value"]').innerText()
      const { corpId } = (await api(page, '/api/app')).body as { corpId: string }
      expect(corpId).toBe(SANDBOX_DEFAULTS.corpId)
      expect(homepage).toBe(`${app.appUrl}/auth/login`)
    })

    it('refuses a file not named like WeCom’s, then serves an uploaded WW_verify file at the domain root', async () => {
      const input = page.locator('[data-test="verify-input"]')
      await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(VERIFY_CODE) })
      const refused = page.locator('[data-test="verify-error"]')
      await refused.getByText('文件名「notes.txt」不对').waitFor()
      expect(await page.locator('[data-test="verify-file"]').count()).toBe(0)

      await input.setInputFiles({ name: VERIFY_NAME, mimeType: 'text/plain', buffer: Buffer.from(`${VERIFY_CODE}\n`) })
      const listed = page.locator(`[data-test="verify-file"][data-name="${VERIFY_NAME}"]`)
      await listed.waitFor()
      expect(await listed.innerText()).toContain(VERIFY_CODE)
      expect(await page.locator('[data-test="verify-error"]').count()).toBe(0)
      const served = await fetch(`${app.appUrl}/${VERIFY_NAME}`)
      expect(served.status).toBe(200)
      expect((await served.text()).trim()).toBe(VERIFY_CODE)
      await shot(page, 'admin-setup-phone.png')
    })

    it('settings: a wrong contact-sync secret is refused under its field and nothing is stored', async () => {
      await page.goto(`${app.appUrl}/admin/settings`)
      const contact = row(page, 'contactSecret')
      await contact.locator('[data-test="setting-input"]').fill('NotTheContactSecret_0123456789abcdef')
      await page.locator('[data-test="settings-save"]').click()
      const error = contact.locator('[data-test="field-error"]')
      await error.waitFor()
      expect(await error.innerText()).toMatch(/通讯录同步/)
      expect(await page.locator('[data-test="field-error"]').count()).toBe(1)
      await page.locator('[data-test="save-error"]').getByText('未保存').waitFor()
      expect((await settingField(page, 'contactSecret')).set).toBe(false)

      await page.reload()
      await row(page, 'contactSecret').locator('[data-test="setting-source"]').getByText('未设置').waitFor()
      expect(await row(page, 'contactSecret').locator('[data-test="setting-masked"]').count()).toBe(0)
    })

    it('settings: the real contact-sync secret is saved and shown masked; a switch and a schedule apply at once', async () => {
      const secret = SANDBOX_DEFAULTS.contactSecret
      const contact = row(page, 'contactSecret')
      await contact.locator('[data-test="setting-input"]').fill(secret)
      await row(page, 'messageEnable').locator('[data-test="setting-switch"]').click()
      await row(page, 'syncCron').locator('[data-test="setting-input"]').fill('10 0/15 * * * ?')
      await page.locator('[data-test="settings-status"]').getByText('3 项修改未保存').waitFor()
      await page.locator('[data-test="settings-save"]').click()
      await page.getByText('已保存，已生效').waitFor()

      const masked = contact.locator('[data-test="setting-masked"]')
      await masked.waitFor()
      expect(await masked.innerText()).toContain(`••••${secret.slice(-4)}`)
      await contact.locator('[data-test="setting-source"]').getByText('已在此保存').waitFor()
      expect(await page.content()).not.toContain(secret)
      expect(await contact.locator('[data-test="setting-input"]').inputValue()).toBe('')

      expect(await settingField(page, 'contactSecret')).toMatchObject({ set: true, source: 'stored', masked: `••••${secret.slice(-4)}` })
      expect(await settingField(page, 'messageEnable')).toMatchObject({ value: false, source: 'stored' })
      expect(await settingField(page, 'syncCron')).toMatchObject({ value: '10 0/15 * * * ?', source: 'stored' })
      expect(JSON.stringify((await api(page, '/api/admin/settings')).body)).not.toContain(secret)

      await page.reload()
      await row(page, 'contactSecret').locator('[data-test="setting-masked"]').waitFor()
      expect(await row(page, 'syncCron').locator('[data-test="setting-input"]').inputValue()).toBe('10 0/15 * * * ?')
      await page.locator('[data-test="settings-updated"]').getByText('zhangsan').waitFor()
      await shot(page, 'admin-settings-phone.png')
    })

    it('doctor: the checks run and token, trusted IP and visible range are fine', async () => {
      await page.goto(`${app.appUrl}/admin/doctor`)
      await page.locator('[data-test="doctor-overall"]').waitFor({ timeout: 30_000 })
      for (const id of ['token', 'trustedIp', 'visibleRange']) {
        const check = page.locator(`[data-test="doctor-check"][data-id="${id}"]`)
        expect(await check.getAttribute('data-status'), id).toBe('ok')
        expect((await check.locator('[data-test="check-status"]').innerText()).trim(), id).toBe('正常')
      }
      await shot(page, 'admin-doctor-phone.png')
    })

    it('roles: grants admin to 李四 through the member search; the grant and the audit show it; 李四 gets in', async () => {
      await page.goto(`${app.appUrl}/admin/roles`)
      const admins = page.locator('[data-test="grants-admin"]')
      await admins.getByText('张三').waitFor()
      expect(await admins.getByText('李四').count()).toBe(0)

      await page.locator('[data-test="grant-add"]').click()
      const sheet = page.locator('[data-test="grant-sheet"]')
      await sheet.locator('[data-test="grant-query"]').fill('李四')
      // The directory is synced at start-up; until then the search finds no one.
      await sheet.locator('[data-test="grant-option"]').filter({ hasText: 'lisi' }).click({ timeout: 20_000 })
      await sheet.locator('[data-test="grant-role-admin"]').click()
      await sheet.locator('[data-test="grant-submit"]').click()
      await sheet.waitFor({ state: 'hidden' })

      await admins.locator('[data-test="grant"]').filter({ hasText: '李四' }).waitFor()
      const entry = page.locator('[data-test="audit-entry"]').filter({ hasText: '授予角色' }).filter({ hasText: 'lisi' })
      await entry.waitFor()
      expect(await entry.innerText()).toContain('张三')
      await shot(page, 'admin-roles-phone.png')

      const lisi = await (await newContext(browser, 'wecomMobile')).newPage()
      await openAsClientUser(lisi, 'lisi', '/admin')
      await lisi.getByRole('heading', { name: '管理后台' }).waitFor()
      expect(new URL(lisi.url()).pathname).toBe('/admin')
      expect((await api(lisi, '/api/admin/settings')).status).toBe(200)
    })

    it('setup guide: generates the callback Token and EncodingAESKey, shown once', async () => {
      // Last: the app's callback key then differs from the one the sandbox signs its callbacks with.
      await page.goto(`${app.appUrl}/admin/setup`)
      const generate = page.locator('[data-test="callback-generate"]')
      await generate.click()
      // The sandbox corp already has a pair: replacing it asks first.
      await page.getByRole('dialog').getByRole('button', { name: '重新生成' }).click()
      const once = page.locator('[data-test="callback-once"]')
      await once.waitFor()
      const token = (await once.locator('[data-field="callbackToken"] [data-test="copy-value"]').innerText()).trim()
      const aesKey = (await once.locator('[data-field="callbackAesKey"] [data-test="copy-value"]').innerText()).trim()
      expect(aesKey).toMatch(/^[A-Za-z0-9]{43}$/)
      expect(token).toMatch(/^[A-Za-z0-9]{3,32}$/)
      await shot(page, 'admin-callback-once-phone.png')

      const settings = (await api(page, '/api/admin/settings')).body as { fields: Field[] }
      expect(JSON.stringify(settings)).not.toContain(aesKey)
      expect(settings.fields.find((f) => f.key === 'callbackAesKey')).toMatchObject({ set: true, source: 'stored', masked: `••••${aesKey.slice(-4)}` })
      // Shown once: back on the page, only "configured" remains.
      await page.reload()
      await page.locator('[data-test="callback-status"]').waitFor()
      expect(await page.content()).not.toContain(aesKey)
    })
  })

  it('every console page on the desktop workbench', async () => {
    const page = await browser.newPage(profiles.wecomDesktop)
    await openAsClientUser(page, 'zhangsan', '/admin')
    await page.getByRole('heading', { name: '管理后台' }).waitFor()
    await shot(page, 'admin-hub-desktop.png')
    const pages: [string, string, string][] = [
      ['/admin/setup', '[data-field="homepageUrl"]', 'admin-setup-desktop.png'],
      ['/admin/settings', '[data-key="contactSecret"] [data-test="setting-masked"]', 'admin-settings-desktop.png'],
      ['/admin/doctor', '[data-test="doctor-overall"]', 'admin-doctor-desktop.png'],
      ['/admin/sync', '[data-test="admin-back"]', 'admin-sync-desktop.png'],
      ['/admin/roles', '[data-test="audit-entry"]', 'admin-roles-desktop.png'],
      ['/admin/embed', '[data-test="admin-back"]', 'admin-embed-desktop.png'],
    ]
    for (const [path, ready, file] of pages) {
      await page.goto(`${app.appUrl}${path}`)
      await page.locator(ready).first().waitFor({ timeout: 30_000 })
      await page.waitForLoadState('networkidle')
      await shot(page, file)
    }
  })
})
