import { describe, expect, it } from 'vitest'
import type { Config } from '../../src/config'
import { notificationLink } from '../../src/todos/host-notify'

const config = {
  publicUrl: 'https://portal.example.com/portal',
  basePath: '/portal/',
  wecom: { oauthBase: 'https://open.weixin.qq.com', corpId: 'ww0123456789abcdef', agentId: '1000002' },
} as Config

/** Where sign-in would land, or null when the link is not an OAuth link. */
function landing(link: string): string | null {
  const u = new URL(link)
  if (u.origin !== 'https://open.weixin.qq.com') return null
  expect(u.searchParams.get('appid')).toBe('ww0123456789abcdef')
  const callback = new URL(u.searchParams.get('redirect_uri')!)
  expect(`${callback.origin}${callback.pathname}`).toBe('https://portal.example.com/portal/auth/callback')
  return callback.searchParams.get('returnTo') ?? '/'
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

  it('wraps the app\'s pages in OAuth, keeping path, query and fragment below the base path', () => {
    expect(landing(notificationLink(config, 'https://portal.example.com/portal/todos/abc?tab=done#x'))).toBe('/todos/abc?tab=done#x')
    expect(landing(notificationLink(config, 'https://portal.example.com:443/portal/contacts'))).toBe('/contacts')
    expect(landing(notificationLink(config, 'https://portal.example.com/portal'))).toBe('/')
    expect(landing(notificationLink(config, 'https://portal.example.com/portal/'))).toBe('/')
  })

  it('drops an OAuth code or state carried in the link', () => {
    expect(landing(notificationLink(config, 'https://portal.example.com/portal/me?code=stolen&state=x&k=1'))).toBe('/me?k=1')
  })
})
