import type { Hono } from 'hono'
import { demoUsers } from '../directory/demo-users'
import { html } from '../html'
import { sendPage } from '../layout'
import { EXTERNAL_CHOICE } from '../options'
import { linkWith } from '../query'
import type { SandboxState } from '../state'

const statusText: Record<number, string> = { 1: '已激活', 2: '已禁用', 4: '未激活', 5: '已退出' }

const endpoints = [
  'GET /cgi-bin/gettoken?corpid&corpsecret',
  'GET /cgi-bin/auth/getuserinfo?access_token&code',
  'GET /cgi-bin/user/get?access_token&userid',
  'GET /cgi-bin/user/simplelist?access_token&department_id[&fetch_child=1]',
  'GET /cgi-bin/user/list?access_token&department_id[&fetch_child=1]',
  'POST /cgi-bin/user/list_id?access_token {cursor?, limit?}（仅通讯录同步 Secret）',
  'GET /cgi-bin/department/get?access_token&id',
  'GET /cgi-bin/department/list?access_token[&id]',
  'GET /cgi-bin/department/simplelist?access_token[&id]',
  'GET /cgi-bin/agent/get?access_token&agentid',
  'GET /connect/oauth2/authorize?appid&redirect_uri&response_type=code&scope&state&agentid',
  'GET /wwlogin/sso/login?login_type=CorpApp&appid&agentid&redirect_uri&state',
  'POST /cgi-bin/oa/getapprovalinfo?access_token {starttime, endtime, new_cursor?, size?, filters?}',
  'POST /cgi-bin/oa/getapprovaldetail?access_token {sp_no}',
  'POST /cgi-bin/oa/applyevent?access_token {creator_userid, template_id, use_template_approver, approver, notifyer, notify_type, apply_data}',
  'POST /cgi-bin/message/send?access_token {touser|toparty|totag, msgtype, agentid, text|textcard|markdown|news, safe?, enable_duplicate_check?, duplicate_check_interval?}',
]
const adminApi = [
  'POST /sandbox/admin/faults {path, errcode?, errmsg?, httpStatus?, latencyMs?, drop?, times?, probability?}',
  'GET | DELETE /sandbox/admin/faults · DELETE /sandbox/admin/faults/:id',
  'GET | POST /sandbox/admin/settings {tokenExpiresIn?, trustedDomain?, ipAllowlist?, visibleRange? {departments, users, tags?}, tags? [{tagid, tagname, users, departments}], limits?, maxListResponse?, callback?, callbackRetryDelaysMs?, unlicensedUsers?}',
  'GET /sandbox/admin/stats · POST /sandbox/admin/reset · POST /sandbox/admin/tokens/revoke',
  'POST /sandbox/admin/members/:userid {status?}',
  'POST /sandbox/admin/org/users · PATCH | DELETE /sandbox/admin/org/users/:userid',
  'POST /sandbox/admin/org/departments · PATCH | DELETE /sandbox/admin/org/departments/:id',
  'GET /sandbox/admin/callbacks · POST /sandbox/admin/callbacks/settle',
  'POST /sandbox/admin/callbacks/verify-url {url?, token?, encodingAesKey?}',
  'POST /sandbox/admin/callbacks/raw {method?, plaintext?, encrypt?, receiveId?, body?, msg_signature?, timestamp?, nonce?, query?}',
  'GET /sandbox/approvals/:sp_no (the approval as a person sees it, with 同意 / 驳回) · GET /sandbox/admin/approvals · GET /sandbox/admin/approvals/:sp_no · POST /sandbox/admin/approvals {…applyevent body, apply_time?}',
  'POST /sandbox/admin/approvals/:sp_no/act {userid, action: approve|reject|revoke|delete|comment, speech?}',
  'GET /sandbox/admin/messages[?userid] · GET /sandbox/inbox/:userid（成员收到的应用消息）',
]

/** What the sandbox is, its credentials (it is a sandbox), and whom you can be. */
export function registerIndex(app: Hono, s: SandboxState): void {
  app.get('/', (c) => {
    const next: Record<string, string> = s.appUrl ? { next: s.appUrl } : {}
    const open = (userid: string) => linkWith('/sandbox/client', next, { userid })
    const action = s.appUrl ? '打开应用 ›' : '设为身份 ›'
    const users = demoUsers(s)
    return sendPage(
      c,
      '企业微信沙箱',
      html`<div class="card"><h1>企业微信沙箱</h1>
<p class="muted">在本机模拟企业微信：服务端接口（qyapi.weixin.qq.com）、客户端内网页授权（open.weixin.qq.com）和网页扫码登录（login.work.weixin.qq.com）。
URL、参数、返回字段和错误码按企业微信文档实现；通讯录为固定种子生成的演示企业（${s.directory.org.name}，${s.directory.org.departments.length} 个部门，${s.directory.org.members.length} 名成员）。</p>
<p class="muted">通讯录读取接口（部门列表、部门成员、成员 ID 列表）只返回应用可见范围内的部门和成员，并按文档实施频率（45009）、并发（45033）和回包大小（45029）限制。
用测试控制接口修改通讯录后，沙箱会像企业微信一样把加密签名的通讯录变更事件（change_contact）推送到应用的接收消息服务器，失败时共尝试 3 次；审批单提交和审批状态变化推送 sys_approval_change。
应用消息（message/send）进入各成员的消息页，点卡片即以该成员身份打开链接。</p></div>
<div class="card"><h2>企业与应用</h2><table>
<tr><th>CorpID</th><td><code>${s.corpId}</code></td></tr>
<tr><th>AgentId</th><td><code>${s.agentId}</code></td></tr>
<tr><th>Secret</th><td><code>${s.secret}</code></td></tr>
<tr><th>通讯录同步 Secret</th><td><code>${s.contactSecret}</code></td></tr>
<tr><th>可见范围</th><td>部门 ${s.settings.visibleRange.departments.join(', ') || '（无）'}${s.settings.visibleRange.users.length ? `；成员 ${s.settings.visibleRange.users.join(', ')}` : ''}${s.settings.visibleRange.tags.length ? `；标签 ${s.settings.visibleRange.tags.join(', ')}` : ''}</td></tr>
<tr><th>接收消息服务器</th><td>${s.settings.callback ? html`<code>${s.settings.callback.url}</code>` : '（未设置：通讯录变更不推送回调）'}</td></tr>
<tr><th>可信域名</th><td><code>${s.settings.trustedDomain}</code></td></tr>
<tr><th>企业可信 IP</th><td>${s.settings.ipAllowlist.length ? s.settings.ipAllowlist.join(', ') : '（无：所有接口调用都会返回 60020）'}</td></tr>
<tr><th>access_token 有效期</th><td>${s.settings.tokenExpiresIn} 秒</td></tr></table></div>
<div class="card"><h2>演示账号</h2><p class="muted">${s.appUrl ? '点一位成员，即以他的身份像企业微信客户端那样打开应用。' : '点一位成员，把他设为本浏览器的企业微信客户端身份。'}</p><ul class="list">
${users.map(
  (u) => html`<li><a href="${open(u.userid)}"><span class="av">${u.name.slice(-2)}</span><span class="who"><b>${u.name}</b>
<span class="tag${u.status === 1 ? '' : ' warn'}">${statusText[u.status] ?? u.status}</span>
<div>${u.userid} · ${u.position} · ${u.department}</div><div class="note">${u.note ?? ''}</div></span><span class="muted">${action}</span></a></li>`,
)}
<li><a href="${open(EXTERNAL_CHOICE)}"><span class="av ext">微</span><span class="who"><b>外部微信用户</b><div>非企业成员，应用只拿到 openid</div></span><span class="muted">${action}</span></a></li>
</ul><p class="muted">应用消息（成员的企业微信会话）：${users.map((u, i) => html`${i ? ' · ' : ''}<a href="/sandbox/inbox/${encodeURIComponent(u.userid)}">${u.name}</a>`)}</p>
<p class="muted">其他成员：<a href="${linkWith('/sandbox/client', next, {})}">搜索全部成员</a> · <a href="/sandbox/client/switch">清除客户端身份</a></p></div>
<div class="card"><h2>接口</h2><ul>${endpoints.map((e) => html`<li><code>${e}</code></li>`)}</ul>
<h2>测试控制（JSON）</h2><ul>${adminApi.map((e) => html`<li><code>${e}</code></li>`)}</ul></div>`,
    )
  })
}
