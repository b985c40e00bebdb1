/**
 * The OAuth authorize link ends in `#wechat_redirect`, and browsers carry a fragment across
 * redirects whose Location has none, so the app would open at `/#wechat_redirect`. Drop it before
 * the router reads the URL.
 */
export function dropWechatRedirectFragment(loc: Location = window.location, hist: History = window.history): void {
  if (loc.hash === '#wechat_redirect') hist.replaceState(hist.state, '', loc.pathname + loc.search)
}
