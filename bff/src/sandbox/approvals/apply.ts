import { nextSpNo } from './store'
import { findTemplate } from './templates'
import type { ApplyContent, Approval, ApproverAttr, SpRecord } from './types'
import { findMember } from '../directory/org-index'
import type { SandboxState } from '../state'
import { canSeeMember, visibilityFor } from '../directory/visibility'

export type ApplyResult = { ok: true; approval: Approval } | { ok: false; errmsg: string }

type Body = Record<string, unknown>

const fail = (errmsg: string): ApplyResult => ({ ok: false, errmsg })

/**
 * Validates an oa/applyevent body (https://developer.work.weixin.qq.com/document/path/91853) and builds the form. Every refusal is
 * 301025 ("审批开放接口参数错误") with a message naming the field, as WeCom's do. `applyTime`
 * (unix s) lets the admin API back-date a form; applyevent always uses now.
 */
export function buildApproval(s: SandboxState, body: Body, applyTime: number): ApplyResult {
  const creator = typeof body.creator_userid === 'string' ? findMember(s.directory, body.creator_userid) : undefined
  // WeCom's own wording, typo included.
  if (!creator || creator.status === 5 || !canSeeMember(visibilityFor(s, 'agent'), creator)) return fail('creator_userid not in app visiable range')
  const template = typeof body.template_id === 'string' ? findTemplate(body.template_id) : undefined
  if (!template) return fail('invalid template_id')
  const useTemplate = body.use_template_approver ?? 0
  if (useTemplate !== 0 && useTemplate !== 1) return fail('invalid use_template_approver')
  const notifyType = body.notify_type ?? 1
  if (notifyType !== 1 && notifyType !== 2 && notifyType !== 3) return fail('invalid notify_type')

  let nodes: { attr: ApproverAttr; userid: string[] }[]
  let notifyer: string[]
  if (useTemplate === 1) {
    nodes = template.approver
    notifyer = template.notifyer
  } else {
    const parsed = parseNodes(s, body.approver)
    if (typeof parsed === 'string') return fail(parsed)
    nodes = parsed
    const n = parseUserids(s, body.notifyer ?? [])
    if (typeof n === 'string') return fail(`invalid notifyer: ${n}`)
    notifyer = n
  }
  const contents = parseContents(template.controls, body.apply_data)
  if (typeof contents === 'string') return fail(contents)

  const sp_record: SpRecord[] = nodes.map((n) => ({
    sp_status: 1,
    approverattr: n.attr,
    details: n.userid.map((userid) => ({ approver: { userid }, speech: '', sp_status: 1, sptime: 0, media_id: [] })),
  }))
  return {
    ok: true,
    approval: {
      sp_no: nextSpNo(s.approvals, applyTime * 1000),
      sp_name: template.name,
      sp_status: 1,
      template_id: template.template_id,
      apply_time: applyTime,
      applyer: { userid: creator.userid, partyid: String(creator.main_department) },
      sp_record,
      notifyer: notifyer.map((userid) => ({ userid })),
      notify_type: notifyType,
      apply_data: { contents },
      comments: [],
    },
  }
}

function parseNodes(s: SandboxState, raw: unknown): { attr: ApproverAttr; userid: string[] }[] | string {
  if (!Array.isArray(raw) || raw.length === 0) return 'invalid approver: give at least one node, or use_template_approver = 1'
  const nodes: { attr: ApproverAttr; userid: string[] }[] = []
  for (const [i, node] of raw.entries()) {
    const n = (node ?? {}) as Body
    if (n.attr !== 1 && n.attr !== 2) return `invalid approver[${i}].attr: 1 (或签) or 2 (会签)`
    const users = parseUserids(s, n.userid)
    if (typeof users === 'string') return `invalid approver[${i}].userid: ${users}`
    if (users.length === 0) return `invalid approver[${i}].userid: empty`
    nodes.push({ attr: n.attr, userid: users })
  }
  return nodes
}

/** Existing, not-quit members, lower-cased and de-duplicated; a message naming the bad one otherwise. */
function parseUserids(s: SandboxState, raw: unknown): string[] | string {
  if (!Array.isArray(raw)) return 'not an array'
  const out: string[] = []
  for (const u of raw) {
    const m = typeof u === 'string' ? findMember(s.directory, u) : undefined
    if (!m || m.status === 5) return `unknown userid ${String(u)}`
    if (!out.includes(m.userid)) out.push(m.userid)
  }
  return out
}

/** Each content names a control of the template; titles come from the template. */
function parseContents(controls: readonly { control: string; id: string; title: string }[], raw: unknown): ApplyContent[] | string {
  const contents = (raw as Body | undefined)?.contents
  if (!Array.isArray(contents)) return 'invalid apply_data: contents required'
  const out: ApplyContent[] = []
  for (const [i, item] of contents.entries()) {
    const c = (item ?? {}) as Body
    const control = controls.find((k) => k.id === c.id)
    if (!control) return `invalid apply_data.contents[${i}].id: not a control of this template`
    if (c.control !== control.control) return `invalid apply_data.contents[${i}].control: expected ${control.control}`
    const value = c.value !== null && typeof c.value === 'object' ? (c.value as Record<string, unknown>) : {}
    out.push({ control: control.control, id: control.id, title: [{ text: control.title, lang: 'zh_CN' }], value })
  }
  return out
}
