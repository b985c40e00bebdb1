import type { Context, Hono } from 'hono'
import { checkQrLoginParams, type QrLoginParams } from './authorize-params'
import { countCall } from '../cgi-gate'
import { resolveChoice } from './client-identity'
import { issueCode } from './codes'
import { html } from '../html'
import { errorPage, sendPage } from '../layout'
import { memberChoices } from './member-choices'
import { searchMembers } from './member-search'
import { qrSvg } from './qr-svg'
import { linkWith, wecomParams } from '../query'
import { appendParams } from './redirect'
import type { SandboxState } from '../state'

const PATH = '/wwlogin/sso/login'
const LIST_LIMIT = 30

/**
 * WeCom's web login page (https://developer.work.weixin.qq.com/document/path/98151). A "scan" (`sandbox_scan`, or `sandbox_userid`
 * for automation) redirects to `redirect_uri?code&state&appid`; cancelling redirects with
 * `state` only, as WeCom does when the user refuses. No cookie: a browser is not the client.
 */
export function registerQrLogin(app: Hono, s: SandboxState): void {
  app.get(PATH, (c) => {
    countCall(s, PATH)
    const q = c.req.query()
    const checked = checkQrLoginParams(s, q)
    if (!checked.ok) return errorPage(c, checked.title, checked.detail)
    const p = checked.value
    if (q.sandbox_cancel !== undefined) return c.redirect(appendParams(p.redirectUri, [['state', p.state]]), 302)
    const choice = q.sandbox_scan ?? q.sandbox_userid
    if (choice !== undefined) {
      const identity = resolveChoice(s, choice)
      if (!identity) return errorPage(c, '成员不存在', `沙箱通讯录中没有账号 ${choice}。`)
      const code = issueCode(s, identity, 'qr', 'snsapi_base', p.redirectUri)
      return c.redirect(appendParams(p.redirectUri, [['code', code], ['state', p.state], ['appid', s.corpId]]), 302)
    }
    return qrPage(c, s, q, p)
  })
}

function qrPage(c: Context, s: SandboxState, q: Record<string, string>, p: QrLoginParams): Response {
  const base = wecomParams(q)
  const query = q.sandbox_q ?? ''
  const choices = memberChoices({
    index: s.directory,
    result: searchMembers(s.directory, query, LIST_LIMIT),
    query,
    searchAction: PATH,
    hidden: base,
    hrefFor: (choice) => linkWith(PATH, base, { sandbox_scan: choice }),
  })
  return sendPage(
    c,
    '企业微信登录',
    html`<div class="card qr">${qrSvg(`${p.state}|${p.redirectUri}`)}
<h1 style="margin-top:12px">请使用企业微信扫码登录</h1>
<p class="muted">登录 ${new URL(p.redirectUri).host}</p>
<a class="btn plain" href="${linkWith(PATH, base, { sandbox_cancel: '1' })}">取消登录</a></div>
<div class="card"><h2>模拟扫码</h2><p class="muted">沙箱里没有手机：点选一位成员，即视为他用企业微信扫码并确认登录。</p>${choices}</div>`,
  )
}
