import type { Browser, BrowserContext } from 'playwright-core'

/**
 * Uncaught errors of every page the e2e suite opens (frames included): a page that throws is a
 * failing page, even when what the test looks at still shows. The e2e setup file fails the test in
 * which one happened (see page-errors-setup.ts).
 */
const seen: string[] = []

/** Errors seen since the last call, emptied. */
export function takePageErrors(): string[] {
  return seen.splice(0)
}

function watchContext(ctx: BrowserContext): BrowserContext {
  ctx.on('page', (page) => {
    page.on('pageerror', (err) => seen.push(`${page.url()}: ${err.name}: ${err.message || '(no message)'}\n${err.stack ?? ''}`))
  })
  return ctx
}

/** Every context (and so every page) of this browser reports its uncaught errors here. */
export function watchPageErrors(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser)
  // browser.newPage goes through newContext too.
  browser.newContext = async (options) => watchContext(await newContext(options))
  return browser
}
