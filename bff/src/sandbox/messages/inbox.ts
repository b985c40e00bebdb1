import type { Hono } from 'hono'
import { html, raw } from '../html'
import { tapCardButton } from './card-tap'
import { asClient, messageBubble } from './inbox-render'
import { errorPage, sendPage } from '../layout'
import { findMember } from '../directory/org-index'
import type { SandboxState } from '../state'

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
.tpl .tpl-open{display:block;color:inherit}
.tpl-source{color:#86909c;font-size:12px;margin-bottom:4px}
.tpl-desc{color:#86909c;font-size:13px;margin-bottom:6px}
.tpl-row{font-size:14px;margin:2px 0}.tpl-key{color:#86909c}
.tpl-btns{display:flex;gap:8px;margin-top:10px}
.tpl-btn{flex:1;text-align:center;padding:8px;border-radius:6px;background:#2b7fff;color:#fff}
.tpl-btn.done{background:#f2f3f5;color:#86909c}
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

  // The client's tap on a card button (a link, as the client's own UI needs no form).
  app.get('/sandbox/inbox/:userid/tap', async (c) => {
    const userid = c.req.param('userid')
    const r = await tapCardButton(s, userid, c.req.query('msgid') ?? '', Number(c.req.query('button') ?? -1))
    if (!r.ok) return errorPage(c, '无法点击', r.reason, r.status)
    const url = r.button.type === 1 && r.button.url ? asClient(findMember(s.directory, userid)?.userid ?? userid, r.button.url) : `/sandbox/inbox/${encodeURIComponent(userid)}`
    return c.redirect(url, 303)
  })

  // A test's tap: the same, answered with the callback delivery and the ResponseCode it carried.
  app.post('/sandbox/admin/messages/tap', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { userid?: unknown; msgid?: unknown; button?: unknown }
    if (typeof body.userid !== 'string' || typeof body.msgid !== 'string') return c.json({ errcode: 40058, errmsg: 'userid and msgid required' }, 400)
    const r = await tapCardButton(s, body.userid, body.msgid, typeof body.button === 'number' ? body.button : 0)
    if (!r.ok) return c.json({ errcode: 40058, errmsg: r.reason }, r.status)
    return c.json({ errcode: 0, errmsg: 'ok', responseCode: r.responseCode ?? null, delivery: r.delivery })
  })

  app.get('/sandbox/admin/messages', (c) => {
    const userid = c.req.query('userid')
    if (userid === undefined) return c.json({ errcode: 0, errmsg: 'ok', sends: s.messages.sends })
    const member = findMember(s.directory, userid)
    return c.json({ errcode: 0, errmsg: 'ok', messages: member ? (s.messages.inbox.get(member.userid) ?? []) : [] })
  })
}
