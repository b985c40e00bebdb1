import { buildHomepageUrl } from '@portal/shared'
import type { Config } from '../config'

/** A page of this app through /auth/login, so a tap in WeCom signs in silently (as whoever tapped) and lands there. */
export function appDeepLink(config: Config, path: string): string {
  return buildHomepageUrl({ publicUrl: config.publicUrl, path })
}

/** The link a todo notification carries. */
export function todoDeepLink(config: Config, todoId: string): string {
  return appDeepLink(config, `/todos/${encodeURIComponent(todoId)}`)
}

/** WeCom limits (https://developer.work.weixin.qq.com/document/path/90236) are in bytes; cut on characters. */
export function clipBytes(text: string, max: number): string {
  const enc = new TextEncoder()
  if (enc.encode(text).length <= max) return text
  let out = ''
  for (const ch of text) {
    if (enc.encode(out + ch + '…').length > max) break
    out += ch
  }
  return out + '…'
}
