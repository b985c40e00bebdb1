import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { setup, type Json } from '../helpers'

export type T = ReturnType<typeof setup>

/** A token from the contact-sync (通讯录同步) secret. */
export async function contactToken(t: T): Promise<string> {
  return (await t.gettoken(SANDBOX_DEFAULTS.corpId, SANDBOX_DEFAULTS.contactSecret)).access_token as string
}

export async function listId(t: T, token: string, body: unknown): Promise<Json> {
  const res = await t.app.request(`/cgi-bin/user/list_id?access_token=${token}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) })
  return (await res.json()) as Json
}

/** Every row of user/list_id, page by page. */
export async function allListIdRows(t: T, token: string, limit: number) {
  const rows: { userid: string; department: number }[] = []
  let cursor = ''
  let pages = 0
  do {
    const page = await listId(t, token, cursor ? { cursor, limit } : { limit })
    if (page.errcode !== 0) throw new Error(`list_id failed: ${page.errcode} ${page.errmsg}`)
    rows.push(...(page.dept_user as typeof rows))
    cursor = page.next_cursor as string
    pages += 1
  } while (cursor)
  return { rows, pages }
}

/** What list_id must return: one row per (member, department), quit members left out. */
export function expectedRows(t: T) {
  return t.state.directory.org.members.filter((m) => m.status !== 5).flatMap((m) => m.department.map((department) => ({ userid: m.userid, department })))
}

export async function adminJson(t: T, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await t.send(method, path, body)
  return { status: res.status, body: (await res.json()) as Json }
}
