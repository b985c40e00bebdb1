import { describe, expect, it } from 'vitest'
import { jsapiSignature, newNonce, signableUrl, signUrl } from '../../src/wecom'

// The official worked example (https://developer.work.weixin.qq.com/document/path/90506).
const EXAMPLE = {
  ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
  nonceStr: 'Wm3WZYTPz0wzccnW',
  timestamp: 1414587457,
  url: 'http://mp.weixin.qq.com?params=value',
}

describe('jsapi signature', () => {
  it('a different ticket, nonce, timestamp or url gives a different signature', () => {
    const base = jsapiSignature(EXAMPLE)
    expect(jsapiSignature({ ...EXAMPLE, ticket: `${EXAMPLE.ticket}x` })).not.toBe(base)
    expect(jsapiSignature({ ...EXAMPLE, nonceStr: 'Wm3WZYTPz0wzccnX' })).not.toBe(base)
    expect(jsapiSignature({ ...EXAMPLE, timestamp: 1414587458 })).not.toBe(base)
    expect(jsapiSignature({ ...EXAMPLE, url: 'http://mp.weixin.qq.com/?params=value' })).not.toBe(base)
  })

  it('does not URL-encode: the url is hashed exactly as the page has it', () => {
    const url = 'https://portal.example.com/portal/me?q=张三&x=a%20b'
    const byHand = jsapiSignature({ ...EXAMPLE, url })
    expect(jsapiSignature({ ...EXAMPLE, url: encodeURI(url) })).not.toBe(byHand)
  })

  it("matches WeCom's worked example", () => {
    expect(jsapiSignature(EXAMPLE)).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed')
    expect(jsapiSignature({ ...EXAMPLE, timestamp: String(EXAMPLE.timestamp) })).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed')
  })

  it('drops the fragment before hashing', () => {
    expect(signableUrl('https://a.example/p?x=1#/route?y=2')).toBe('https://a.example/p?x=1')
    expect(signableUrl('https://a.example/p')).toBe('https://a.example/p')
    expect(jsapiSignature({ ...EXAMPLE, url: `${EXAMPLE.url}#wechat_redirect` })).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed')
  })

  it('signUrl: seconds timestamp, a fresh 16-character nonce each time, and a signature of exactly those', () => {
    const a = signUrl(EXAMPLE.ticket, EXAMPLE.url, EXAMPLE.timestamp * 1000 + 999, () => EXAMPLE.nonceStr)
    expect(a).toEqual({ timestamp: EXAMPLE.timestamp, nonceStr: EXAMPLE.nonceStr, signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed' })
    const nonces = new Set(Array.from({ length: 200 }, () => newNonce()))
    expect(nonces.size).toBe(200)
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9]{16}$/)
  })
})
