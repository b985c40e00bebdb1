import { approvalTemplates } from '../../../src/sandbox/approvals/templates'
import { CB_TOKEN, AES_KEY, correctApp, openEvent, startReceiver, xmlField, type Received } from '../callbacks/helpers'
import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { setup, type Json } from '../helpers'

export type T = ReturnType<typeof setup>

export const LEAVE = approvalTemplates[0]!.template_id
export const EXPENSE = approvalTemplates[1]!.template_id
export const TRIP = approvalTemplates[2]!.template_id

/** A valid 请假 applyevent body; `over` replaces fields. */
export function leaveBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    creator_userid: 'lisi',
    template_id: LEAVE,
    use_template_approver: 0,
    approver: [{ attr: 1, userid: ['zhangsan'] }],
    notifyer: ['zhouba'],
    notify_type: 1,
    apply_data: { contents: [{ control: 'Textarea', id: 'Textarea-1570000000004', value: { text: '家中有事' } }] },
    ...over,
  }
}

/** POST a cgi-bin API with the app token; `body` a string is sent verbatim. */
export async function cgi(t: T, path: string, body: unknown, token?: string): Promise<Json> {
  const tk = token ?? (await t.token())
  const res = await t.app.request(`${path}?access_token=${tk}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) })
  return (await res.json()) as Json
}

export async function adminPost(t: T, path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await t.send('POST', path, body)
  return { status: res.status, body: (await res.json()) as Json }
}

/** Creates through the admin API (optionally back-dated) and returns the sp_no. */
export async function createApproval(t: T, over: Record<string, unknown> = {}): Promise<string> {
  const res = await adminPost(t, '/sandbox/admin/approvals', leaveBody(over))
  if (res.status !== 200) throw new Error(`create failed: ${JSON.stringify(res.body)}`)
  return res.body.sp_no as string
}

export async function actOn(t: T, spNo: string, userid: string, action: string, speech?: string) {
  return adminPost(t, `/sandbox/admin/approvals/${spNo}/act`, { userid, action, speech })
}

/** A sandbox whose callback goes to a local receiver answering like a correct app. */
export async function withReceiver(closers: (() => Promise<void>)[], opts: Parameters<typeof setup>[0] = {}) {
  const receiver = await startReceiver(correctApp(SANDBOX_DEFAULTS.corpId))
  closers.push(receiver.close)
  const t = setup({ callback: { url: receiver.url, token: CB_TOKEN, encodingAesKey: AES_KEY }, callbackRetryDelaysMs: [0, 0], ...opts })
  return { t, receiver }
}

/** The decrypted sys_approval_change XML of a received callback, after checking signature and header. */
export function approvalEvent(r: Received): string {
  const e = openEvent(r)
  if (!e.signatureOk || e.receiveId !== SANDBOX_DEFAULTS.corpId) throw new Error('bad signature or receiveid')
  if (xmlField(e.msg, 'Event') !== 'sys_approval_change') throw new Error(`not an approval event: ${e.msg}`)
  return e.msg
}

/** <SpRecord> blocks, each as its approvers' (UserId, SpStatus) and the node's own status/attr. */
export function spRecords(xml: string) {
  return [...xml.matchAll(/<SpRecord>([\s\S]*?)<\/SpRecord>/g)].map((m) => {
    const node = m[1]!
    const head = node.replace(/<Details>[\s\S]*?<\/Details>/g, '')
    return {
      status: Number(xmlField(head, 'SpStatus')),
      attr: Number(xmlField(head, 'ApproverAttr')),
      details: [...node.matchAll(/<Details>([\s\S]*?)<\/Details>/g)].map((d) => ({ userid: xmlField(d[1]!, 'UserId'), status: Number(xmlField(d[1]!, 'SpStatus')) })),
    }
  })
}
