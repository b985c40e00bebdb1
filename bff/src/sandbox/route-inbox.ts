import type { Hono } from 'hono'
import { html, raw } from './html'
import { messageBubble } from './inbox-render'
import { errorPage, sendPage } from './layout'
import { findMember } from './org-index'
import type { SandboxState } from './state'

const css = raw(`<style>
.chat{list-style:none;margin:0;padding:0}
.msg{margin:0 0 14px}
.when{text-align:center;color:#86909c;font-size:12px;margin-bottom:6px}
.bubble{display:block;background:#fff;border-radius:8px;padding:12px 14px;color:inherit;max-width:100%}
.bubble.text{white-space:pre-wrap;word-break:break-word}
.tcard .tc-title{font-weight:600;font-size:16px;margin-bottom:6px}
.tcard .tc-desc{white-space:pre-wrap;font-size:14px;margin-bottom:10px}
.tc-gray{color:#86909c}.tc-normal{color:#1f2329}.tc-highlight{color:#2b7fff}
.tcard .tc-btn{border-top:1px solid #f2f3f5;padding-top:8px;display:flex;justify-content:space-between;color:#4e5969;font-size:14px}
.news .art{display:block;padding:6px 0;color:inherit;border-bottom:1px solid #f2f3f5}
</style>`)

/**
 * What one member's WeCom client shows in the app's conversation: the app's messages, newest
 * last. Dropped messages (over the frequency limit) never reached the client, so are not shown.
 */
export function registerInbox(app: Hono, s: SandboxState): void {
  app.get('/sandbox/inbox/:userid', (c) => {
    const member = findMember(s.directory, c.req.param('userid'))
    if (!member) return errorPage(c, '成员不存在', `沙箱通讯录中没有账号 ${c.req.param('userid')}。`, 404)
    const messages = (s.messages.inbox.get(member.userid) ?? []).filter((m) => m.status === 'delivered')
    return sendPage(
      c,
      `${member.name} 的应用消息`,
      html`${css}<div class="card"><h1>应用消息 · ${member.name}</h1>
<p class="muted">${member.userid} 在企业微信客户端里收到的本应用（AgentId ${s.agentId}）消息。点卡片会以该成员身份打开链接，就像在企业微信里点开一样。</p></div>
${messages.length ? html`<ul class="chat">${messages.map(messageBubble)}</ul>` : html`<div class="card muted">还没有收到消息。</div>`}`,
    )
  })

  app.get('/sandbox/admin/messages', (c) => {
    const userid = c.req.query('userid')
    if (userid === undefined) return c.json({ errcode: 0, errmsg: 'ok', sends: s.messages.sends })
    const member = findMember(s.directory, userid)
    return c.json({ errcode: 0, errmsg: 'ok', messages: member ? (s.messages.inbox.get(member.userid) ?? []) : [] })
  })
}
