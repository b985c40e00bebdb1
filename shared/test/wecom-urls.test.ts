import { describe, expect, it } from 'vitest'
import { buildAuthorizeUrl, buildHomepageUrl, buildQrLoginUrl } from '../src/wecom-urls'
import { ipFromErrmsg, wecomHint } from '../src/wecom-errors'

describe('WeCom URL builders', () => {
  it('matches the official authorize example', () => {
    // https://developer.work.weixin.qq.com/document/path/91022: the doc's example, with agentid added as we always send it.
    const url = buildAuthorizeUrl({
      corpId: 'wxCorpId',
      agentId: 1000002,
      redirectUri: 'http://api.3dept.com/cgi-bin/query?action=get',
      state: '',
    })
    expect(url).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wxCorpId&redirect_uri=http%3A%2F%2Fapi.3dept.com%2Fcgi-bin%2Fquery%3Faction%3Dget&response_type=code&scope=snsapi_base&state=&agentid=1000002#wechat_redirect',
    )
  })

  it('builds the homepage URL: our /auth/login with the deep link fully encoded', () => {
    expect(buildHomepageUrl({ publicUrl: 'https://p.example.edu.cn/portal/', path: '/todos?tab=done' })).toBe(
      'https://p.example.edu.cn/portal/auth/login?returnTo=%2Ftodos%3Ftab%3Ddone',
    )
    expect(buildHomepageUrl({ publicUrl: 'https://p.example.edu.cn/portal', path: '/' })).toBe('https://p.example.edu.cn/portal/auth/login')
    expect(buildHomepageUrl({ publicUrl: 'https://p.example.edu.cn' })).toBe('https://p.example.edu.cn/auth/login')
  })

  it('builds the QR login page URL', () => {
    const u = new URL(buildQrLoginUrl({ loginBase: 'http://localhost:3100', corpId: 'ww1', agentId: 1000002, redirectUri: 'http://localhost:3000/auth/callback', state: 'abc', lang: 'zh' }))
    expect(u.origin + u.pathname).toBe('http://localhost:3100/wwlogin/sso/login')
    expect(Object.fromEntries(u.searchParams)).toEqual({ login_type: 'CorpApp', appid: 'ww1', agentid: '1000002', redirect_uri: 'http://localhost:3000/auth/callback', state: 'abc', lang: 'zh' })
  })
})

describe('WeCom error hints', () => {
  it('names the egress IP WeCom saw for 60020', () => {
    const ip = ipFromErrmsg('not allow to access from your ip, hint: [1658286717354964018506079], from ip: 115.227.127.185, more info at https://open.work.weixin.qq.com/devtool/query?e=60020')
    expect(ip).toBe('115.227.127.185')
    expect(wecomHint(60020, 'zh', { ip })).toContain('115.227.127.185')
    expect(wecomHint(50001, 'en', { domain: 'app.example.com' })).toContain('app.example.com')
    expect(wecomHint(123456, 'en')).toBeUndefined()
  })
})
