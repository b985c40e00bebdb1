import { describe, expect, it } from 'vitest'
import { forwardedOrigin } from '../../src/jssdk/forwarded-origin'
import { checkSignUrl, type SignUrlPolicy } from '../../src/jssdk/sign-url'

const ROOT: SignUrlPolicy = { publicOrigin: 'https://portal.example.com', basePath: '/' }
const PREFIXED: SignUrlPolicy = { publicOrigin: 'https://p.school.edu.cn', basePath: '/portal/' }
const rejected = (raw: string | undefined, policy = ROOT) => {
  const r = checkSignUrl(raw, policy)
  return r.ok ? undefined : r.message
}

describe('which URLs the BFF signs', () => {
  it('rejects a missing or empty url', () => {
    expect(rejected(undefined)).toMatch(/url parameter is required/)
    expect(rejected('')).toMatch(/url parameter is required/)
  })

  it('rejects what is not an absolute http(s) URL', () => {
    for (const raw of ['/me', 'portal.example.com/', 'javascript:alert(1)', 'ftp://portal.example.com/']) expect(rejected(raw), raw).toMatch(/absolute http\(s\) URL/)
  })

  it('rejects other origins: another host, scheme, port, or a look-alike', () => {
    for (const raw of [
      'https://evil.example/',
      'http://portal.example.com/',
      'https://portal.example.com:8443/',
      'https://portal.example.com.evil.example/',
      'https://evil.example/?u=https://portal.example.com/',
    ]) {
      expect(rejected(raw), raw).toMatch(/Only pages of this app/)
    }
  })

  it('rejects credentials in the URL', () => {
    expect(rejected('https://user:pw@portal.example.com/')).toMatch(/user name or password/)
  })

  it('under a path prefix, rejects paths outside it (including dot-segments that climb out)', () => {
    for (const raw of ['https://p.school.edu.cn/', 'https://p.school.edu.cn/portalx/', 'https://p.school.edu.cn/other/portal/', 'https://p.school.edu.cn/portal/../admin']) {
      expect(rejected(raw, PREFIXED), raw).toMatch(/must start with https:\/\/p\.school\.edu\.cn\/portal\//)
    }
  })

  it('signs pages under PUBLIC_URL exactly as given, minus the fragment', () => {
    expect(checkSignUrl('https://portal.example.com/', ROOT)).toEqual({ ok: true, url: 'https://portal.example.com/' })
    expect(checkSignUrl('https://portal.example.com/me?tab=session&q=%E5%BC%A0#top', ROOT)).toEqual({ ok: true, url: 'https://portal.example.com/me?tab=session&q=%E5%BC%A0' })
    expect(checkSignUrl('https://p.school.edu.cn/portal', PREFIXED)).toEqual({ ok: true, url: 'https://p.school.edu.cn/portal' })
    expect(checkSignUrl('https://p.school.edu.cn/portal/todos?id=3#wechat_redirect', PREFIXED)).toEqual({ ok: true, url: 'https://p.school.edu.cn/portal/todos?id=3' })
  })

  it("accepts the trusted proxy's origin for this request too, still under the prefix", () => {
    const policy = { ...PREFIXED, forwardedOrigin: 'http://p.school.edu.cn' }
    expect(checkSignUrl('http://p.school.edu.cn/portal/me', policy)).toEqual({ ok: true, url: 'http://p.school.edu.cn/portal/me' })
    expect(checkSignUrl('http://p.school.edu.cn/elsewhere', policy).ok).toBe(false)
    expect(checkSignUrl('http://other.school.edu.cn/portal/me', policy).ok).toBe(false)
  })
})

describe('forwardedOrigin (only consulted with TRUST_PROXY)', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name]
  const REQ = 'http://127.0.0.1:3000/api/jssdk/signatures'

  it('ignores malformed or smuggled values', () => {
    expect(forwardedOrigin(headers({ 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'a.example' }), REQ)).toBeUndefined()
    for (const host of ['a.example/evil', 'user@a.example', 'a.example?x', 'a.example#x', 'a example', '']) {
      expect(forwardedOrigin(headers({ 'x-forwarded-proto': 'https', 'x-forwarded-host': host }), REQ), host).toBeUndefined()
    }
  })

  it('uses the last value of a list: the one the nearest proxy wrote', () => {
    expect(forwardedOrigin(headers({ 'x-forwarded-proto': 'http, https', 'x-forwarded-host': 'evil.example, p.school.edu.cn' }), REQ)).toBe('https://p.school.edu.cn')
  })

  it('falls back to Host and to the request scheme, and normalises like location.origin', () => {
    expect(forwardedOrigin(headers({ host: 'P.School.edu.cn:443', 'x-forwarded-proto': 'https' }), REQ)).toBe('https://p.school.edu.cn')
    expect(forwardedOrigin(headers({ host: 'localhost:3000' }), REQ)).toBe('http://localhost:3000')
    expect(forwardedOrigin(headers({ 'x-forwarded-host': '[::1]:8080', 'x-forwarded-proto': 'HTTP' }), REQ)).toBe('http://[::1]:8080')
  })
})
