/** URL builders for WeCom's browser-facing endpoints (OAuth: https://developer.work.weixin.qq.com/document/path/91022; web login: https://developer.work.weixin.qq.com/document/path/98151). Pure, no I/O. */

export const WECOM_OAUTH_BASE = 'https://open.weixin.qq.com'
export const WECOM_LOGIN_BASE = 'https://login.work.weixin.qq.com'
export const WECOM_API_BASE = 'https://qyapi.weixin.qq.com'

export interface AuthorizeUrlInput {
  oauthBase?: string
  corpId: string
  agentId: string | number
  redirectUri: string
  state?: string
  scope?: 'snsapi_base' | 'snsapi_privateinfo'
}

/**
 * The OAuth2 authorize link the WeCom client opens. Parameter order and the literal
 * `#wechat_redirect` follow the official example; redirect_uri is fully encoded so that the
 * query and any path survive.
 */
export function buildAuthorizeUrl(i: AuthorizeUrlInput): string {
  const base = trimSlash(i.oauthBase ?? WECOM_OAUTH_BASE)
  return (
    `${base}/connect/oauth2/authorize?appid=${encodeURIComponent(i.corpId)}` +
    `&redirect_uri=${encodeURIComponent(i.redirectUri)}` +
    `&response_type=code&scope=${i.scope ?? 'snsapi_base'}` +
    `&state=${encodeURIComponent(i.state ?? '')}` +
    `&agentid=${encodeURIComponent(String(i.agentId))}#wechat_redirect`
  )
}

export interface QrLoginUrlInput {
  loginBase?: string
  corpId: string
  agentId: string | number
  redirectUri: string
  state?: string
  lang?: 'zh' | 'en'
}

/** The full-page Web login (`wwlogin/sso/login`, login_type CorpApp). */
export function buildQrLoginUrl(i: QrLoginUrlInput): string {
  const base = trimSlash(i.loginBase ?? WECOM_LOGIN_BASE)
  const q = new URLSearchParams({
    login_type: 'CorpApp',
    appid: i.corpId,
    agentid: String(i.agentId),
    redirect_uri: i.redirectUri,
    state: i.state ?? '',
  })
  if (i.lang) q.set('lang', i.lang)
  return `${base}/wwlogin/sso/login?${q.toString()}`
}

export interface HomepageUrlInput {
  /** PUBLIC_URL, may carry a path prefix. */
  publicUrl: string
  /** App-relative deep link, e.g. `/todos`; default `/`. */
  path?: string
}

/**
 * The one entry URL from WeCom, for the app's 应用主页 field and every link sent in WeCom:
 * `/auth/login` starts a sign-in bound to the browser that opens it, so whoever opens it (on a
 * desktop client that still holds someone else's cookies, too) is confirmed, then lands on `path`.
 */
export function buildHomepageUrl(i: HomepageUrlInput): string {
  const login = `${trimSlash(i.publicUrl)}/auth/login`
  return i.path && i.path !== '/' ? `${login}?returnTo=${encodeURIComponent(i.path)}` : login
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '')
}
