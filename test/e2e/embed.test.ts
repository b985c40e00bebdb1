import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostSnippet } from '../../web/src/lib/embed-snippet'
import type { AppProcess } from '../support/app-process'
import { browserSkipReason, newContext, SHOTS, startAppAndBrowser } from '../support/chromium'
import { hostPage, startEmbedHost, type EmbedHost, type RecordedMessage } from '../support/embed-host'

const skip = browserSkipReason()

type PortalMessage = { source: string; type: string; height?: number; path?: string; title?: string; pending?: number }

describe.skipIf(!!skip)('the H5 embedded in a host app’s iframe (app as `pnpm start` runs it)', () => {
  let app: AppProcess
  let browser: Browser
  /** Listed in EMBED_ORIGINS. */
  let allowed: EmbedHost
  /** Another origin, not listed. */
  let stranger: EmbedHost

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    // One after the other: each is closed below once started, whatever fails next.
    allowed = await startEmbedHost()
    stranger = await startEmbedHost()
    ;({ app, browser } = await startAppAndBrowser({ EMBED_ORIGINS: allowed.origin }))
    // The snippet the console's 嵌入与深链接 page hands out, for the app's home page.
    const page = hostPage(hostSnippet(`${app.appUrl}/?embed=1`))
    allowed.serve(page)
    stranger.serve(page)
  })
  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await allowed?.close()
    await stranger?.close()
  })

  const messages = (page: Page) => page.evaluate(() => (globalThis as unknown as { __messages: RecordedMessage[] }).__messages)
  const portalFrame = (page: Page): Frame => {
    const frame = page.frames().find((f) => f !== page.mainFrame())
    if (!frame) throw new Error('the host page has no iframe')
    return frame
  }

  it('a host not in EMBED_ORIGINS: Chromium refuses to show the H5 in its frame, and nothing is posted', async () => {
    const page = await (await newContext(browser, 'wecomDesktop')).newPage()
    const refusals: string[] = []
    page.on('console', (m) => /frame-ancestors/.test(m.text()) && refusals.push(m.text()))
    const framed = page.waitForResponse((r) => r.url() === `${app.appUrl}/?embed=1`)
    await page.goto(stranger.origin)
    const res = await framed
    expect(res.headers()['content-security-policy']).toBe(`frame-ancestors 'self' ${allowed.origin}`)
    await expect.poll(() => refusals.length, { timeout: 10_000 }).toBeGreaterThan(0)
    expect(refusals[0]).toContain(app.appUrl)

    // Given time to do anything, the frame still holds no page of the app (nor a sign-in).
    await page.waitForTimeout(1500)
    const frame = portalFrame(page)
    expect(frame.url()).not.toContain(new URL(app.appUrl).host)
    expect(await frame.locator('.portal-app, [data-choice]').count()).toBe(0)
    expect(await messages(page)).toEqual([])
    await page.screenshot({ path: join(SHOTS, 'embed-refused-desktop.png') })
  })

  it('an allowed host: the member signs in inside the frame; the H5 shows without its tab bar and posts its height to the parent', async () => {
    const ctx = await newContext(browser, 'wecomDesktop')
    const page = await ctx.newPage()
    const framed = page.waitForResponse((r) => r.url() === `${app.appUrl}/?embed=1`)
    await page.goto(allowed.origin)
    expect((await framed).headers()['content-security-policy']).toBe(`frame-ancestors 'self' ${allowed.origin}`)

    // The sandbox's "signed in to the WeCom client" cookie is SameSite=Lax, so inside a
    // cross-site frame the sandbox asks who is signed in (WeCom itself would sign in silently).
    const frame = page.frameLocator('#wecom-portal')
    const pick = frame.locator('[data-choice="zhangsan"]')
    const signedIn = frame.locator('.portal-app').getByText('张三').first()
    await Promise.race([pick.waitFor(), signedIn.waitFor()])
    if (await pick.isVisible()) await pick.click()
    await signedIn.waitFor()
    await frame.locator('.portal-app--embedded').waitFor()
    expect(await frame.locator('.van-tabbar').count()).toBe(0)

    // The host heard from the portal's origin only: ready, navigate, and a height that the
    // snippet applied to the frame.
    const origin = new URL(app.appUrl).origin
    await expect.poll(async () => (await messages(page)).some((m) => (m.data as PortalMessage).type === 'height'), { timeout: 10_000 }).toBe(true)
    const got = await messages(page)
    expect(got.every((m) => m.origin === origin)).toBe(true)
    const data = got.map((m) => m.data as PortalMessage)
    expect(data.every((d) => d.source === 'wecom-portal')).toBe(true)
    expect(data.some((d) => d.type === 'ready')).toBe(true)
    expect(data).toContainEqual(expect.objectContaining({ type: 'navigate', path: '/' }))
    const heightsOf = async () => (await messages(page)).map((m) => m.data as PortalMessage).filter((d) => d.type === 'height').map((d) => d.height!)
    const frameHeight = () => page.locator('#wecom-portal').evaluate((el) => (el as unknown as { style: { height: string } }).style.height)
    // It settles: the frame takes the last height posted, and no more come (the page's data may
    // still arrive after the first one on a slow machine, which is a real change of height).
    let seen = -1
    await expect
      .poll(
        async () => {
          const hs = await heightsOf()
          const settled = hs.length === seen && (await frameHeight()) === `${hs.at(-1)}px`
          seen = hs.length
          return settled
        },
        { timeout: 20_000, interval: 600 },
      )
      .toBe(true)
    const heights = await heightsOf()
    expect(heights.every((h) => Number.isInteger(h) && h > 0)).toBe(true)
    // No chase: the page's height does not follow its frame's (the old string of 605 → 539 → …
    // → 322 px). A frame made taller by the host brings no new height from the page.
    await page.locator('#wecom-portal').evaluate((el) => void ((el as unknown as { style: { height: string } }).style.height = `${el.getBoundingClientRect().height + 240}px`))
    await new Promise((r) => setTimeout(r, 800))
    expect(await heightsOf(), heights.join(' → ')).toEqual(heights)

    // The session lives in a cookie a cross-site frame may send (SameSite=None, hence Secure),
    // partitioned under the host's site: Chromium blocks unpartitioned third-party cookies.
    const sid = (await ctx.cookies(app.appUrl)).find((c) => c.name === 'wp_sid')
    expect(sid).toMatchObject({ sameSite: 'None', secure: true, httpOnly: true, partitionKey: 'http://127.0.0.1' })
    await page.screenshot({ path: join(SHOTS, 'embed-host-desktop.png'), fullPage: true })

    // Navigating inside the frame tells the host where the member is.
    await frame.locator('.portal-app').getByRole('link', { name: /待办/ }).first().click()
    await expect
      .poll(async () => (await messages(page)).map((m) => m.data as PortalMessage).some((d) => d.type === 'navigate' && d.path?.startsWith('/todos') === true), { timeout: 10_000 })
      .toBe(true)

    // Outside a frame the same member gets the tab bar (and a session of its own, Lax).
    const top = await ctx.newPage()
    await top.goto(`${app.sandboxUrl}/sandbox/client?userid=zhangsan&next=${encodeURIComponent(`${app.appUrl}/`)}`)
    await top.locator('.van-tabbar').waitFor()
    const topSid = (await ctx.cookies(app.appUrl)).find((c) => c.name === 'wp_sid' && !c.partitionKey)
    expect(topSid).toMatchObject({ sameSite: 'Lax' })
  })
})
