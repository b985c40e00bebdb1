import type { Context, Hono } from 'hono'
import { checkAuthorizeParams, type AuthorizeParams } from './authorize-params'
import { forgetChoice, rememberChoice, rememberedChoice, resolveChoice } from './client-identity'
import { issueCode } from './codes'
import { countCall } from '../cgi-gate'
import { html } from '../html'
import { errorPage, sendPage } from '../layout'
import { memberChoices } from './member-choices'
import { searchMembers } from './member-search'
import { linkWith, wecomParams } from '../query'
import { appendParams } from './redirect'
import type { CodeIdentity, SandboxState } from '../state'

const PATH = '/connect/oauth2/authorize'
const PICKER_LIMIT = 50

/**
 * The WeCom client's side of OAuth (https://developer.work.weixin.qq.com/document/path/91022). The "signed-in client user" is, in
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
    const go = (identity: CodeIdentity, keep: Record<string, string> = {}) => {
      // snsapi_privateinfo asks the member first (WeCom's 手动授权 page); either answer returns a code.
      const consent = params.scope === 'snsapi_privateinfo' && identity.kind === 'member' ? q.sandbox_consent : undefined
      if (params.scope === 'snsapi_privateinfo' && identity.kind === 'member' && consent !== 'agree' && consent !== 'decline') {
        return consentPage(c, s, q, identity.userid, keep)
      }
      const consented = consent === undefined ? undefined : consent === 'agree'
      return c.redirect(appendParams(params.redirectUri, [['code', issueCode(s, identity, 'oauth', params.scope, params.redirectUri, consented)], ['state', params.state]]), 302)
    }

    for (const key of ['sandbox_pick', 'sandbox_userid'] as const) {
      if (q[key] === undefined) continue
      const identity = resolveChoice(s, q[key])
      if (!identity) return errorPage(c, '成员不存在', `沙箱通讯录中没有账号 ${q[key]}。`)
      if (key === 'sandbox_pick') rememberChoice(c, q[key])
      // Automation's identity is not remembered: the consent page's answers carry it on.
      return go(identity, key === 'sandbox_userid' ? { sandbox_userid: q[key] } : {})
    }
    const remembered = rememberedChoice(c)
    const identity = resolveChoice(s, remembered)
    if (identity) return go(identity)
    if (remembered) forgetChoice(c)
    return pickerPage(c, s, q, params)
  })
}

/**
 * The member's consent for snsapi_privateinfo (https://developer.work.weixin.qq.com/document/path/91022):
 * WeCom shows the app's request for the member's private fields. Agreeing or declining both go
 * back with a code; only after agreement does auth/getuserdetail return mobile, email, avatar,
 * gender and address (https://developer.work.weixin.qq.com/document/path/95833).
 */
function consentPage(c: Context, s: SandboxState, q: Record<string, string>, userid: string, keep: Record<string, string>): Response {
  const base = wecomParams(q)
  const name = s.directory.members.get(userid.toLowerCase())?.name ?? userid
  const agree = linkWith(PATH, base, { ...keep, sandbox_consent: 'agree' })
  const decline = linkWith(PATH, base, { ...keep, sandbox_consent: 'decline' })
  return sendPage(
    c,
    '授权确认',
    html`<div class="card" data-sandbox="consent"><h1>员工门户（沙箱）申请获取以下信息</h1>
<p class="muted">${name}，应用希望获取你的手机号、邮箱、头像、性别和地址，用于在通讯录中向同事展示。你可以随时在应用中撤回。</p>
<ul class="muted"><li>手机号</li><li>邮箱</li><li>头像与性别</li><li>地址</li></ul>
<p><a class="btn" href="${agree}" data-sandbox="consent-agree">同意</a> <a class="btn plain" href="${decline}" data-sandbox="consent-decline">拒绝</a></p></div>`,
  )
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
