import type { Context, Hono } from 'hono'
import { checkAuthorizeParams, type AuthorizeParams } from './authorize-params'
import { forgetChoice, rememberChoice, rememberedChoice, resolveChoice } from './client-identity'
import { issueCode } from './codes'
import { countCall } from './cgi-gate'
import { html } from './html'
import { errorPage, sendPage } from './layout'
import { memberChoices } from './member-choices'
import { searchMembers } from './member-search'
import { linkWith, wecomParams } from './query'
import { appendParams } from './redirect'
import type { CodeIdentity, SandboxState } from './state'

const PATH = '/connect/oauth2/authorize'
const PICKER_LIMIT = 50

/**
 * The WeCom client's side of OAuth (wecom-api.md §2.1). The "signed-in client user" is, in
 * order: `sandbox_pick` (a click on the picker; remembered in a cookie), `sandbox_userid`
 * (automation; not remembered), the `wwsandbox_user` cookie, else the picker page.
 */
export function registerAuthorize(app: Hono, s: SandboxState): void {
  app.get(PATH, (c) => {
    countCall(s, PATH)
    const q = c.req.query()
    const checked = checkAuthorizeParams(s, q)
    if (!checked.ok) return errorPage(c, checked.title, checked.detail)
    const params = checked.value
    const go = (identity: CodeIdentity) =>
      c.redirect(appendParams(params.redirectUri, [['code', issueCode(s, identity, 'oauth', params.scope, params.redirectUri)], ['state', params.state]]), 302)

    for (const key of ['sandbox_pick', 'sandbox_userid'] as const) {
      if (q[key] === undefined) continue
      const identity = resolveChoice(s, q[key])
      if (!identity) return errorPage(c, '成员不存在', `沙箱通讯录中没有账号 ${q[key]}。`)
      if (key === 'sandbox_pick') rememberChoice(c, q[key])
      return go(identity)
    }
    const remembered = rememberedChoice(c)
    const identity = resolveChoice(s, remembered)
    if (identity) return go(identity)
    if (remembered) forgetChoice(c)
    return pickerPage(c, s, q, params)
  })
}

function pickerPage(c: Context, s: SandboxState, q: Record<string, string>, p: AuthorizeParams): Response {
  const base = wecomParams(q)
  const query = q.sandbox_q ?? ''
  const choices = memberChoices({
    index: s.directory,
    result: searchMembers(s.directory, query, PICKER_LIMIT),
    query,
    searchAction: PATH,
    hidden: base,
    hrefFor: (choice) => linkWith(PATH, base, { sandbox_pick: choice }),
  })
  const target = new URL(p.redirectUri).host
  return sendPage(
    c,
    '选择企业微信身份',
    html`<div class="card"><h1>选择企业微信身份</h1>
<p class="muted">沙箱把这个浏览器当作已登录的企业微信客户端。请选择要以谁的身份打开应用（${target}）。选择会记在本浏览器中，之后打开应用将直接登录；
要换人，请打开 <a href="/sandbox/client/switch">切换身份</a>。</p>
<p class="muted">授权方式：${p.scope}</p></div>
<div class="card">${choices}</div>`,
  )
}
