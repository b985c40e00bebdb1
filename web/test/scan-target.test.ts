import { describe, expect, it } from 'vitest'
import { appRouteOf } from '../src/lib/scan-target'

const ORIGIN = 'https://p.school.edu.cn'

describe('what a scanned code opens', () => {
  it('nothing for text, other origins, or paths outside the app', () => {
    for (const text of ['hello', '6901234567892', 'https://evil.example/portal/me', 'http://p.school.edu.cn/portal/me', 'https://p.school.edu.cn/other', 'javascript:alert(1)']) {
      expect(appRouteOf(text, ORIGIN, '/portal/'), text).toBeUndefined()
    }
  })

  it('the in-app route for a link to one of our pages', () => {
    expect(appRouteOf('https://p.school.edu.cn/portal/contacts/members/lisi?from=qr#x', ORIGIN, '/portal/')).toBe('/contacts/members/lisi?from=qr#x')
    expect(appRouteOf(' https://p.school.edu.cn/portal ', ORIGIN, '/portal/')).toBe('/')
    expect(appRouteOf('https://p.school.edu.cn/me', ORIGIN, '/')).toBe('/me')
  })
})
