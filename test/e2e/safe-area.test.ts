import { join } from 'node:path'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { AppProcess } from '../support/app-process'
import { browserSkipReason, profiles, SHOTS, useAppAndBrowser } from '../support/chromium'
import { settled } from '../support/page-settled'

const skip = browserSkipReason()
const THEMES = ['light', 'dark'] as const
type Theme = (typeof THEMES)[number]
/** An iPhone with a notch, as iOS reports it to a page with viewport-fit=cover. */
const INSETS = { top: 44, bottom: 34 }

let app: AppProcess
let browser: Browser

const phone = (theme: Theme): BrowserContextOptions => ({
  ...profiles.wecomMobile,
  viewport: { width: 375, height: 812 },
  colorScheme: theme,
  userAgent: profiles.wecomMobile.userAgent.replace('ColorScheme/Light', theme === 'dark' ? 'ColorScheme/Dark' : 'ColorScheme/Light'),
})

/** A page in a new context; with `insets`, Chromium reports them as env(safe-area-inset-*), as iOS does. */
async function open(options: BrowserContextOptions, userid: string | null, insets: typeof INSETS | null): Promise<Page> {
  const context = await browser.newContext(options)
  const page = await context.newPage()
  if (insets) await (await context.newCDPSession(page)).send('Emulation.setSafeAreaInsetsOverride', { insets })
  if (userid) {
    await page.goto(`${app.sandboxUrl}/sandbox/client?userid=${userid}&next=${encodeURIComponent(`${app.appUrl}/`)}`)
    await page.waitForURL((u) => u.origin === app.appUrl)
  }
  return page
}

// Source text: it runs in the page, and the test package has no DOM types.
/** Where the first text a person sees on the page starts (the sandbox banner aside), and the top bar's edges. */
const LAYOUT = `(() => {
  const main = document.querySelector('.portal-main')
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT)
  let text = null
  for (let n = walker.nextNode(); n && !text; n = walker.nextNode()) {
    if (!n.textContent.trim() || n.parentElement.closest('.portal-visually-hidden')) continue
    const range = document.createRange()
    range.selectNodeContents(n)
    const box = range.getBoundingClientRect()
    if (box.width && box.height) text = { text: n.textContent.trim().slice(0, 16), top: Math.round(box.top + scrollY) }
  }
  const bar = document.querySelector('.portal-top-bar')
  return { text, barTop: bar ? Math.round(bar.getBoundingClientRect().top + scrollY) : null }
})()`
type Layout = { text: { text: string; top: number } | null; barTop: number | null }

/** Opens `path`, screenshots it and says where its first text starts. */
async function layoutOf(page: Page, path: string, shot: string): Promise<Layout> {
  await page.goto(`${app.appUrl}${path}`)
  await settled(page)
  // The banner is the sandbox's alone: without it the page is at the top, as in production.
  // (A style property, not a <style>: the CSP allows no inline style sheet.)
  await page.evaluate(`document.querySelector('.sandbox-banner').style.display = 'none'`)
  await page.screenshot({ path: join(SHOTS, `${shot}.png`) })
  return page.evaluate<Layout>(LAYOUT)
}

const MEMBER = ['/', '/contacts', '/contacts/departments/1', '/contacts/members/zhangsan', '/todos', '/me', '/no-such-page']
const CONSOLE = ['/admin', '/admin/setup', '/admin/settings', '/admin/doctor', '/admin/sync', '/admin/roles', '/admin/embed']
const PUBLIC = ['/login', '/problem?reason=not_member']
const nameOf = (path: string) => path.replace(/^\/$/, 'home').replace(/^\//, '').replace(/[/?=&]+/g, '-')

describe.skipIf(!!skip)('a notch or a status bar (safe-area insets) on a phone (app as `pnpm start` runs it)', () => {
  useAppAndBrowser((a, b) => ((app = a), (browser = b)))

  for (const theme of THEMES) {
    it(`every page starts one inset lower, not two; a top bar still reaches the screen's top edge (${theme})`, async () => {
      const moved: Record<string, { text: string; by: number; barTop: number | null }> = {}
      for (const [userid, paths] of [['lisi', MEMBER], ['zhangsan', CONSOLE], [null, PUBLIC]] as const) {
        const flat = await open(phone(theme), userid, null)
        const notched = await open(phone(theme), userid, INSETS)
        for (const path of paths) {
          const before = await layoutOf(flat, path, `safe-area-${nameOf(path)}-${theme}-none`)
          const after = await layoutOf(notched, path, `safe-area-${nameOf(path)}-${theme}-inset`)
          expect(after.text?.text, `${path}: the same first text`).toBe(before.text?.text)
          moved[path] = { text: after.text?.text ?? '', by: (after.text?.top ?? 0) - (before.text?.top ?? 0), barTop: after.barTop }
        }
        await flat.context().close()
        await notched.context().close()
      }
      const want = Object.fromEntries(
        Object.entries(moved).map(([path, m]) => [path, { ...m, by: INSETS.top, barTop: m.barTop === null ? null : 0 }]),
      )
      expect(moved).toEqual(want)
    })
  }

  it('a stuck top bar covers the status bar: its content stays below the inset', async () => {
    const page = await open({ ...phone('light'), viewport: { width: 375, height: 420 } }, 'lisi', INSETS)
    await layoutOf(page, '/contacts', 'safe-area-contacts-short')
    await page.evaluate('scrollTo(0, 400)')
    expect(await page.evaluate<number>('scrollY')).toBeGreaterThan(0)
    const bar = await page.evaluate<{ top: number; contentTop: number; background: string }>(`(() => {
      const bar = document.querySelector('.portal-top-bar')
      const first = bar.firstElementChild
      return { top: bar.getBoundingClientRect().top, contentTop: first.getBoundingClientRect().top, background: getComputedStyle(bar).backgroundColor }
    })()`)
    await page.screenshot({ path: join(SHOTS, 'safe-area-contacts-scrolled.png') })
    expect(bar.top).toBe(0)
    expect(bar.contentTop).toBeGreaterThanOrEqual(INSETS.top)
    expect(bar.background).not.toBe('rgba(0, 0, 0, 0)')
    await page.context().close()
  })
})
