import { describe, expect, it } from 'vitest'
import type { Config } from '../../src/config'
import { notificationLink } from '../../src/notify/links'

const config = {
  publicUrl: 'https://portal.example.com/portal',
  basePath: '/portal/',
  wecom: { oauthBase: 'https://open.weixin.qq.com', corpId: 'ww0123456789abcdef', agentId: '1000002' },
} as Config

/** Where sign-in would land, or null when the link does not go through our /auth/login. */
function landing(link: string): string | null {
  const u = new URL(link)
  if (`${u.origin}${u.pathname}` !== 'https://portal.example.com/portal/auth/login') return null
  return u.searchParams.get('returnTo') ?? '/'
}

describe('notificationLink', () => {
  it('passes on links that are not pages of this app', () => {
    for (const url of [
      'https://oa.example.com/portal/todos/1',
      'https://portal.example.com/other',
      'https://portal.example.com/portalx/todos',
      'http://portal.example.com/portal/todos', // another origin: the scheme differs
      'https://portal.example.com:8443/portal/todos',
      'https://portal.example.com/portal/api/todos',
      'https://portal.example.com/portal/auth/login',
      'https://portal.example.com/portal/wecom/callback',
    ]) {
      expect(notificationLink(config, url), url).toBe(url)
    }
  })

  it('sends the app\'s pages through /auth/login, keeping path, query and fragment below the base path', () => {
    expect(landing(notificationLink(config, 'https://portal.example.com/portal/todos/abc?tab=done#x'))).toBe('/todos/abc?tab=done#x')
    expect(landing(notificationLink(config, 'https://portal.example.com:443/portal/contacts'))).toBe('/contacts')
    expect(landing(notificationLink(config, 'https://portal.example.com/portal'))).toBe('/')
    expect(landing(notificationLink(config, 'https://portal.example.com/portal/'))).toBe('/')
  })

  it('drops an OAuth code or state carried in the link', () => {
    expect(landing(notificationLink(config, 'https://portal.example.com/portal/me?code=stolen&state=x&k=1'))).toBe('/me?k=1')
  })
})
