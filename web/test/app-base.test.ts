import { afterEach, describe, expect, it } from 'vitest'
import { appBase, appUrl } from '../src/lib/app-base'
import { avatarColor, avatarInitial } from '../src/lib/avatar'

afterEach(() => {
  window.__PORTAL_BASE__ = undefined
})

describe('appBase', () => {
  it('defaults to / and normalizes the injected prefix', () => {
    expect(appBase()).toBe('/')
    window.__PORTAL_BASE__ = '/portal'
    expect(appBase()).toBe('/portal/')
    expect(appUrl('/api/me')).toBe('/portal/api/me')
    expect(appUrl('auth/login')).toBe('/portal/auth/login')
  })

  it('ignores a base that could leave the origin', () => {
    window.__PORTAL_BASE__ = '//evil.example/'
    expect(appBase()).toBe('/')
    window.__PORTAL_BASE__ = 'https://evil.example/'
    expect(appBase()).toBe('/')
  })
})

describe('avatar fallback', () => {
  it('uses the surname or an initial, with a stable color', () => {
    // As WeCom's default avatars (and the sandbox's images): the last two characters of a Chinese name.
    expect(avatarInitial('张三')).toBe('张三')
    expect(avatarInitial('欧阳娜娜')).toBe('娜娜')
    expect(avatarInitial('王')).toBe('王')
    expect(avatarInitial(' alice ')).toBe('A')
    expect(avatarInitial('')).toBe('?')
    expect(avatarColor('zhangsan')).toBe(avatarColor('zhangsan'))
  })
})
