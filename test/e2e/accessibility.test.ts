import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SANDBOX_HOST_KEY } from '@portal/bff/config'
import type { AppProcess } from '../support/app-process'
import { audit, blocking, describeFindings, type AxeFinding } from '../support/axe'
import { browserSkipReason, profiles, SHOTS, useAppAndBrowser } from '../support/chromium'
import { keyboardWalk, type FocusStop } from '../support/keyboard-walk'
import { settled } from '../support/page-settled'

const skip = browserSkipReason()
const THEMES = ['light', 'dark'] as const
type Theme = (typeof THEMES)[number]

let app: AppProcess
let browser: Browser

/**
 * A phone (375 px) in the WeCom client, whose UA states its theme; and the desktop workbench,
 * whose UA does not, so the system's prefers-color-scheme decides.
 */
const phone = (theme: Theme): BrowserContextOptions => ({
  ...profiles.wecomMobile,
  viewport: { width: 375, height: 812 },
  userAgent: profiles.wecomMobile.userAgent.replace('ColorScheme/Light', theme === 'dark' ? 'ColorScheme/Dark' : 'ColorScheme/Light'),
})
const desktop = (theme: Theme): BrowserContextOptions => ({ ...profiles.wecomDesktop, colorScheme: theme })

async function signedIn(options: BrowserContextOptions, userid: string, path: string): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage()
  await page.goto(`${app.sandboxUrl}/sandbox/client?userid=${userid}&next=${encodeURIComponent(`${app.appUrl}${path}`)}`)
  await page.waitForURL((u) => u.origin === app.appUrl && u.pathname === path)
  return page
}

/** A todo for 李四 through the host API, once the start-up sync knows him (400 until then). */
async function todoForLisi(): Promise<string> {
  const post = () =>
    fetch(`${app.appUrl}/api/host/todos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_HOST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId: 'a11y-1', assignee: 'lisi', title: '审核采购合同', summary: '年度框架合同', link: 'https://oa.example.com/c/1', dueAt: new Date(Date.now() + 86_400_000).toISOString() }),
    })
  let res = await post()
  for (let i = 0; i < 150 && res.status === 400; i++) {
    await new Promise((r) => setTimeout(r, 100))
    res = await post()
  }
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: string }).id
}

/** Opens each path, checks the theme really is the one asked for, screenshots it and audits it. */
async function auditPages(page: Page, theme: Theme, device: string, paths: string[]): Promise<Record<string, AxeFinding[]>> {
  const found: Record<string, AxeFinding[]> = {}
  for (const path of paths) {
    await page.goto(`${app.appUrl}${path}`)
    await settled(page)
    const classes = (await page.locator('html').getAttribute('class')) ?? ''
    expect(classes.split(' ').includes('van-theme-dark'), `${path} in ${theme}`).toBe(theme === 'dark')
    const name = path.replace(/^\/$/, 'home').replace(/^\//, '').replace(/[/?=&]+/g, '-').replace(/^todos-[\w-]{8,}$/, 'todo-detail')
    await page.screenshot({ path: join(SHOTS, `a11y-${name}-${theme}-${device}.png`), fullPage: true })
    found[`${path} (${theme}, ${device})`] = await audit(page)
  }
  return found
}

/** Fails on serious or critical findings; every finding, of any impact, goes to test/output/a11y-<name>.txt. */
function expectNoBlocking(name: string, found: Record<string, AxeFinding[]>): void {
  const all = Object.entries(found).map(([where, findings]) => `${where}\n  ${describeFindings(findings) || 'no findings'}`)
  writeFileSync(join(SHOTS, `../a11y-${name}.txt`), `${all.join('\n\n')}\n`)
  const report = Object.entries(found)
    .map(([where, findings]) => [where, blocking(findings)] as const)
    .filter(([, b]) => b.length)
    .map(([where, b]) => `${where}\n  ${describeFindings(b)}`)
  expect(report.join('\n\n'), 'axe: serious or critical violations').toBe('')
}

describe.skipIf(!!skip)('accessibility (axe-core) of every page, in both themes (app as `pnpm start` runs it)', () => {
  useAppAndBrowser((a, b) => ((app = a), (browser = b)))
  let todoId: string

  it('the audit catches what it is there for: contrast, labels, touch-target size', async () => {
    const page = await browser.newPage()
    await page.setContent(`<html lang="en"><head><title>t</title></head><body><main><h1>Audit</h1>
      <p style="color:#aaa;background:#fff">Grey on white</p>
      <input type="text">
      <p><button style="width:12px;height:12px;padding:0">x</button><button style="width:12px;height:12px;padding:0">y</button></p>
      </main></body></html>`)
    const rules = blocking(await audit(page)).map((f) => f.rule)
    expect(rules).toEqual(expect.arrayContaining(['color-contrast', 'label', 'target-size']))
    await page.close()
  })

  /** Every stop in document order, drawn with a focus ring, on screen. */
  async function expectKeyboardWalk(page: Page, path: string): Promise<FocusStop[]> {
    await page.goto(`${app.appUrl}${path}`)
    await settled(page)
    const stops = await keyboardWalk(page)
    const bad = stops.filter((s) => !s.inOrder || !s.visible || !s.onScreen)
    expect(bad, `${path}: focus stops out of order, without a ring, or off screen`).toEqual([])
    return stops
  }

  it('keyboard: the console and member pages can be walked with Tab, in order, always showing where focus is', async () => {
    const desk = await signedIn(desktop('light'), 'zhangsan', '/admin')
    for (const path of ['/admin', '/admin/settings', '/admin/roles', '/admin/sync']) expect((await expectKeyboardWalk(desk, path)).length, path).toBeGreaterThan(3)
    const dark = await signedIn(desktop('dark'), 'zhangsan', '/admin/settings')
    await expectKeyboardWalk(dark, '/admin/settings')
    // What a keyboard user sees: the ring on the third stop (banner link, back link, first field).
    await dark.goto(`${app.appUrl}/admin/settings`)
    await settled(dark)
    for (let i = 0; i < 3; i++) await dark.keyboard.press('Tab')
    await dark.screenshot({ path: join(SHOTS, 'a11y-focus-ring-dark-desktop.png') })
    const member = await signedIn(phone('light'), 'lisi', '/')
    for (const path of ['/', '/contacts', '/me']) expect((await expectKeyboardWalk(member, path)).length, path).toBeGreaterThan(3)
  })

  for (const theme of THEMES) {
    it(`member pages on a phone in WeCom, ${theme}`, async () => {
      todoId ??= await todoForLisi()
      const page = await signedIn(phone(theme), 'lisi', '/')
      const found = await auditPages(page, theme, 'phone', [
        '/',
        '/contacts',
        '/contacts/departments/1',
        '/contacts/members/zhangsan',
        '/todos',
        `/todos/${todoId}`,
        '/me',
        '/no-such-page',
      ])
      expectNoBlocking(`member-phone-${theme}`, found)
    })

    it(`console pages on the desktop workbench, ${theme}`, async () => {
      const page = await signedIn(desktop(theme), 'zhangsan', '/admin')
      const found = await auditPages(page, theme, 'desktop', ['/admin', '/admin/setup', '/admin/settings', '/admin/doctor', '/admin/sync', '/admin/roles', '/admin/embed'])
      expectNoBlocking(`console-desktop-${theme}`, found)
    })

    it(`console pages on a phone, ${theme}`, async () => {
      const page = await signedIn(phone(theme), 'zhangsan', '/admin')
      const found = await auditPages(page, theme, 'phone', ['/admin', '/admin/settings', '/admin/roles'])
      expectNoBlocking(`console-phone-${theme}`, found)
    })

    it(`public pages (sign-in, problem) in a browser, ${theme}`, async () => {
      const page = await (await browser.newContext({ ...profiles.browser, colorScheme: theme })).newPage()
      const found = await auditPages(page, theme, 'desktop', ['/login', '/problem?reason=not_member'])
      const phonePage = await (await browser.newContext({ ...profiles.phoneBrowser, viewport: { width: 375, height: 812 }, colorScheme: theme })).newPage()
      Object.assign(found, await auditPages(phonePage, theme, 'phone', ['/login']))
      expectNoBlocking(`public-${theme}`, found)
    })
  }
})
