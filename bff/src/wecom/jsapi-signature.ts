import { createHash, randomInt } from 'node:crypto'

/** What wx.config / wx.agentConfig (and ww.register's signature callbacks) need for one URL. */
export interface JsapiSignature {
  /** Seconds. */
  timestamp: number
  nonceStr: string
  signature: string
}

/** The URL WeCom checks the signature against: everything before the first `#` (https://developer.work.weixin.qq.com/document/path/90506). */
export function signableUrl(url: string): string {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}

/**
 * sha1 of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`, lowercase hex. Values go in raw, in
 * that order, never URL-encoded: the client hashes the page's `location.href` exactly as it is.
 */
export function jsapiSignature(p: { ticket: string; nonceStr: string; timestamp: number | string; url: string }): string {
  const text = `jsapi_ticket=${p.ticket}&noncestr=${p.nonceStr}&timestamp=${p.timestamp}&url=${signableUrl(p.url)}`
  return createHash('sha1').update(text).digest('hex')
}

const NONCE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** 16 letters and digits, like the doc's example (`Wm3WZYTPz0wzccnW`); no characters that need escaping. */
export function newNonce(length = 16): string {
  let out = ''
  for (let i = 0; i < length; i++) out += NONCE_CHARS[randomInt(NONCE_CHARS.length)]
  return out
}

/** A fresh signature of `url` with `ticket`, timestamped at `nowMs`. */
export function signUrl(ticket: string, url: string, nowMs: number, nonce: () => string = newNonce): JsapiSignature {
  const timestamp = Math.floor(nowMs / 1000)
  const nonceStr = nonce()
  return { timestamp, nonceStr, signature: jsapiSignature({ ticket, nonceStr, timestamp, url }) }
}
