import type { Page } from 'playwright-core'

export interface BridgeCall {
  name: string
  params: Record<string, unknown>
  /** location.href when the page called the bridge: what the real client verifies against. */
  url: string
}

export interface BridgeOptions {
  /** Answer `{ err_msg }` with this for the named API instead of `<name>:ok`. */
  fail?: Record<string, string>
  /** What scanQRCode "scans". */
  scanResult?: string
}

/** The page's globals the stand-in touches; typed here because the test project has no DOM lib. */
interface BridgeGlobals {
  navigator: { userAgent: string }
  location: { href: string }
  document: { addEventListener(type: string, fn: () => void): void; dispatchEvent(e: unknown): boolean }
  Event: new (type: string) => unknown
  __bridge: { calls: BridgeCall[]; handlers: Record<string, () => void> }
  WeixinJSBridge: {
    invoke(name: string, params: unknown, callback: (res: object) => void): void
    on(name: string, handler: () => void): void
  }
}

/**
 * The WeCom client's native side as @wecom/jssdk talks to it (for `context.addInitScript`): a
 * `WeixinJSBridge` with `invoke(name, params, callback)` and `on(event, handler)`, present before
 * any page script runs, then the `WeixinJSBridgeReady` event. It records every call with the page
 * URL at that moment and answers like the client: `err_msg: '<name>:ok'`, and on iOS scan results
 * wrapped as `{"scan_code":{"scan_result":…}}` JSON, which the SDK unwraps.
 */
export function installBridge(opts: BridgeOptions): void {
  const g = globalThis as unknown as BridgeGlobals
  const ios = /iPhone|iPad|iPod/.test(g.navigator.userAgent)
  g.__bridge = { calls: [], handlers: {} }
  g.WeixinJSBridge = {
    invoke(name, params, callback) {
      g.__bridge.calls.push({ name, params: JSON.parse(JSON.stringify(params ?? {})) as Record<string, unknown>, url: g.location.href })
      let res: object = { err_msg: opts.fail?.[name] ?? `${name}:ok` }
      if (name === 'scanQRCode' && !opts.fail?.[name]) {
        const text = opts.scanResult ?? ''
        res = { err_msg: 'scanQRCode:ok', resultStr: ios ? JSON.stringify({ scan_code: { scan_result: text } }) : text }
      }
      // Native answers arrive asynchronously.
      setTimeout(() => callback(res), 5)
    },
    on(name, handler) {
      g.__bridge.handlers[name] = handler
    },
  }
  g.document.addEventListener('DOMContentLoaded', () => g.document.dispatchEvent(new g.Event('WeixinJSBridgeReady')))
}

export function bridgeCalls(page: Page): Promise<BridgeCall[]> {
  return page.evaluate(() => (globalThis as unknown as BridgeGlobals).__bridge.calls)
}

/** The first `count` calls of `name`, once the page has made them. */
export async function waitForCall(page: Page, name: string, count = 1): Promise<BridgeCall[]> {
  await page.waitForFunction(([n, c]) => (globalThis as unknown as BridgeGlobals).__bridge.calls.filter((x) => x.name === n).length >= c, [name, count] as const)
  return (await bridgeCalls(page)).filter((c) => c.name === name)
}

/** Fires a client event the page subscribed to with `on` (e.g. the ··· menu's 转发). */
export async function fireClientEvent(page: Page, name: string): Promise<void> {
  await page.waitForFunction((n) => !!(globalThis as unknown as BridgeGlobals).__bridge.handlers[n], name)
  await page.evaluate((n) => (globalThis as unknown as BridgeGlobals).__bridge.handlers[n]!(), name)
}
