import type { Hono } from 'hono'
import { forgetChoice, rememberChoice, rememberedChoice, resolveChoice } from './client-identity'
import { html } from '../html'
import { errorPage, sendPage } from '../layout'
import { memberChoices } from './member-choices'
import { searchMembers } from './member-search'
import { findMember } from '../directory/org-index'
import { linkWith } from '../query'
import { isHttpUrl } from './redirect'
import type { SandboxState } from '../state'

const PATH = '/sandbox/client'

/**
 * Sets or clears the "signed-in client user" outside an OAuth round trip:
 * `/sandbox/client?userid=X&next=<url>` remembers X and goes to next (e.g. the app, which then
 * signs in silently through /connect/oauth2/authorize); `/sandbox/client/switch?next=<url>`
 * forgets it so the next authorize shows the picker again.
 */
export function registerClient(app: Hono, s: SandboxState): void {
  app.get(PATH, (c) => {
    const { userid, next } = c.req.query()
    if (userid !== undefined) {
      if (!resolveChoice(s, userid)) return errorPage(c, '成员不存在', `沙箱通讯录中没有账号 ${userid}。`)
      rememberChoice(c, userid)
      return c.redirect(isHttpUrl(next) ? next : PATH, 302)
    }
    const query = c.req.query('sandbox_q') ?? ''
    const keep: Record<string, string> = isHttpUrl(next) ? { next } : {}
    const current = rememberedChoice(c)
    const who = current ? (findMember(s.directory, current)?.name ?? current) : undefined
    return sendPage(
      c,
      '企业微信客户端身份',
      html`<div class="card"><h1>企业微信客户端身份</h1>
<p class="muted">${who ? html`当前身份：<b>${who}</b>（<a href="${PATH}/switch">退出</a>）` : '当前没有选择身份：打开应用时会先让你选择。'}</p></div>
<div class="card">${memberChoices({
        index: s.directory,
        result: searchMembers(s.directory, query, 50),
        query,
        searchAction: PATH,
        hidden: keep,
        hrefFor: (choice) => linkWith(PATH, keep, { userid: choice }),
      })}</div>`,
    )
  })

  app.get(`${PATH}/switch`, (c) => {
    forgetChoice(c)
    const next = c.req.query('next')
    return c.redirect(isHttpUrl(next) ? next : PATH, 302)
  })
}
