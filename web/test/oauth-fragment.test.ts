import { describe, expect, it } from 'vitest'
import { dropWechatRedirectFragment } from '../src/lib/oauth-fragment'

describe('dropWechatRedirectFragment', () => {
  it('leaves other fragments alone', () => {
    history.replaceState(null, '', '/me?tab=session#section')
    dropWechatRedirectFragment()
    expect(location.pathname + location.search + location.hash).toBe('/me?tab=session#section')
  })
  it('removes #wechat_redirect left over from the OAuth redirect chain', () => {
    history.replaceState(null, '', '/me?tab=session#wechat_redirect')
    dropWechatRedirectFragment()
    expect(location.pathname + location.search + location.hash).toBe('/me?tab=session')
  })
})
