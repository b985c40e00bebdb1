import type { Hono } from 'hono'
import { act, pendingApprovers, type ApprovalAction } from './flow'
import { notifyApprovalChange } from './notify'
import type { Approval, ApplyContent, SpStatus } from './types'
import { html, raw, type Html } from '../html'
import { errorPage, sendPage } from '../layout'
import { findMember } from '../directory/org-index'
import type { SandboxState } from '../state'

const PATH = '/sandbox/approvals'

const FORM_STATUS: Record<SpStatus, string> = { 1: '审批中', 2: '已通过', 3: '已驳回', 4: '已撤销', 6: '通过后撤销', 7: '已删除', 10: '已支付' }
const NODE_STATUS = { 1: '审批中', 2: '已同意', 3: '已驳回' } as const
const ACT_LABEL: Partial<Record<ApprovalAction, string>> = { approve: '同意', reject: '驳回', revoke: '撤销' }

const css = raw(`<style>
.status{display:inline-block;font-size:12px;border-radius:4px;padding:1px 6px;background:#e8f3ff;color:#2b7fff;margin-left:6px}
.status.s2{background:#e8ffea;color:#00a870}.status.s3,.status.s4,.status.s6,.status.s7{background:#f2f3f5;color:#86909c}
.node{border-left:2px solid #e5e6eb;padding:0 0 10px 12px;margin-left:4px}
.node.n1{border-color:#2b7fff}.node.n2{border-color:#00a870}.node.n3{border-color:#cf1322}
.acts{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
.acts form{margin:0}.acts input{display:none}
.btn.danger{background:#cf1322}
</style>`)

const nameOf = (s: SandboxState, userid: string) => findMember(s.directory, userid)?.name ?? userid
const when = (unix: number) => (unix ? new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 16) : '')

/** A control's value in words: text, number, money, dates and selections; other kinds as JSON. */
function valueText(c: ApplyContent): string {
  const v = c.value as Record<string, unknown>
  if (typeof v.text === 'string') return v.text
  if (typeof v.new_number === 'string') return v.new_number
  if (typeof v.new_money === 'string') return v.new_money
  const date = v.date as { s_timestamp?: string } | undefined
  if (date?.s_timestamp) return when(Number(date.s_timestamp))
  const options = (v.selector as { options?: { value?: { text: string }[] }[] } | undefined)?.options
  if (options) return options.map((o) => o.value?.[0]?.text ?? '').join('、')
  return JSON.stringify(v)
}

function actButton(spNo: string, userid: string, action: ApprovalAction, who: string): Html {
  return html`<form method="post" action="${PATH}/${spNo}/act"><input name="userid" value="${userid}"><input name="action" value="${action}">
<button class="btn${action === 'approve' ? '' : ' danger'}" type="submit">以${who}身份${ACT_LABEL[action] ?? action}</button></form>`
}

function page(s: SandboxState, a: Approval): Html {
  const pending = pendingApprovers(a)
  const fields = a.apply_data.contents.map((c) => html`<tr><th>${c.title[0]?.text ?? c.id}</th><td>${valueText(c)}</td></tr>`)
  const nodes = a.sp_record.map(
    (r, i) => html`<div class="node n${r.sp_status}"><b>第 ${i + 1} 步 · ${NODE_STATUS[r.sp_status]}</b>${r.details.length > 1 ? html`<span class="muted">（${r.approverattr === 2 ? '会签' : '或签'}）</span>` : ''}
${r.details.map((d) => html`<div class="muted">${nameOf(s, d.approver.userid)}：${NODE_STATUS[d.sp_status]}${d.sptime ? ` · ${when(d.sptime)}` : ''}${d.speech ? ` · “${d.speech}”` : ''}</div>`)}</div>`,
  )
  const acts = [
    ...pending.flatMap((u) => [actButton(a.sp_no, u, 'approve', nameOf(s, u)), actButton(a.sp_no, u, 'reject', nameOf(s, u))]),
    ...(a.sp_status === 1 ? [actButton(a.sp_no, a.applyer.userid, 'revoke', nameOf(s, a.applyer.userid))] : []),
  ]
  return html`${css}<div class="card"><h1>${a.sp_name}<span class="status s${a.sp_status}">${FORM_STATUS[a.sp_status]}</span></h1>
<p class="muted">审批编号 ${a.sp_no} · ${nameOf(s, a.applyer.userid)} 提交于 ${when(a.apply_time)}</p>
<table>${fields}</table></div>
<div class="card"><h2>审批流程</h2>${nodes}
${acts.length ? html`<p class="muted">沙箱里可以替流程中的人操作，就像他们在企业微信里点了按钮：</p><div class="acts">${acts}</div>` : html`<p class="muted">这张审批单已结束，没有待办。</p>`}</div>
${a.comments.length ? html`<div class="card"><h2>评论</h2>${a.comments.map((m) => html`<div class="muted">${nameOf(s, m.commentUserInfo.userid)} · ${when(m.commenttime)}：${m.commentcontent}</div>`)}</div>` : ''}`
}

/**
 * What WeCom's approval detail shows a person, for the app's 查看审批 link in sandbox mode: the
 * form, its flow and, for whoever must act now, 同意 / 驳回 (and 撤销 for the applicant). Acting
 * goes through the same rules and callbacks as POST /sandbox/admin/approvals/:sp_no/act.
 */
export function registerApprovalPage(app: Hono, s: SandboxState): void {
  app.get(`${PATH}/:sp_no`, (c) => {
    const a = s.approvals.byNo.get(c.req.param('sp_no'))
    if (!a) return errorPage(c, '审批单不存在', `沙箱里没有编号为 ${c.req.param('sp_no')} 的审批单。`, 404)
    return sendPage(c, `${a.sp_name} · 审批`, page(s, a))
  })

  app.post(`${PATH}/:sp_no/act`, async (c) => {
    const a = s.approvals.byNo.get(c.req.param('sp_no'))
    if (!a) return errorPage(c, '审批单不存在', `沙箱里没有编号为 ${c.req.param('sp_no')} 的审批单。`, 404)
    const form = new URLSearchParams(await c.req.text())
    const action = form.get('action') ?? ''
    const member = findMember(s.directory, form.get('userid') ?? '')
    if (!member || !(action in ACT_LABEL)) return errorPage(c, '无法操作', '缺少操作人或操作类型。', 400)
    const result = act(s.approvals, a, member.userid, action as ApprovalAction, '', Math.floor(s.now() / 1000))
    if (!result.ok) return errorPage(c, '无法操作', result.errmsg, 400)
    if (result.statuChangeEvent !== null) await notifyApprovalChange(s, a, result.statuChangeEvent)
    // Post/redirect/get: a reload does not act twice.
    return c.redirect(`${PATH}/${encodeURIComponent(a.sp_no)}`, 303)
  })
}
