import type { Json } from '../helpers'
import { cgi, type T } from '../approvals/helpers'

export const SEND = '/cgi-bin/message/send'

/** A valid textcard to lisi; `over` replaces fields. */
export function card(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    touser: 'lisi',
    msgtype: 'textcard',
    agentid: 1000002,
    textcard: { title: '待办：报销审批', description: '<div class="gray">2026年11月1日</div><div class="normal">张三提交了报销</div>', url: 'http://localhost:3000/todos/1', btntxt: '去处理' },
    ...over,
  }
}

export function send(t: T, body: unknown, token?: string): Promise<Json> {
  return cgi(t, SEND, body, token)
}

export async function inbox(t: T, userid: string) {
  return ((await t.json(`/sandbox/admin/messages?userid=${userid}`)).messages ?? []) as { msgid: string; status: string; msgtype: string; payload: Record<string, { content?: string; title?: string; description?: string; btntxt?: string }> }[]
}
