import type { Context, Hono } from 'hono'
import { callerApp } from '../tickets/caller-app'
import { departmentParam } from './params'
import { wecomError, wecomOk } from '../errors'
import { userGetJson } from './member-json'
import { walkDepartments } from './org-index'
import type { Department, Member } from './org-types'
import type { SandboxState } from '../state'
import { visibilityFor } from './visibility'

/**
 * user/simplelist and user/list (https://developer.work.weixin.qq.com/document/path/90200, https://developer.work.weixin.qq.com/document/path/90201): the members of one visible department,
 * with `fetch_child=1` those of its whole subtree (each member once). Disabled (2) and
 * not-activated (4) members are listed as WeCom lists them; quit members (5) are not: WeCom
 * removes them from the directory (90313 on 40003/60111: "已离职或已删除成员，userid会从通讯录中移除").
 * user/get still answers status 5 for them so the portal's "member left" path stays testable.
 */
export function registerUserLists(app: Hono, s: SandboxState): void {
  app.get('/cgi-bin/user/simplelist', (c) => {
    const found = membersFor(c, s, Number.POSITIVE_INFINITY)
    if (!found.ok) return found.res
    return wecomOk(c, { userlist: found.members.map((m) => ({ userid: m.userid, name: m.name, department: m.department })) })
  })

  // WeCom refuses to build a huge answer (45029) rather than truncating it.
  app.get('/cgi-bin/user/list', (c) => {
    const max = s.settings.maxListResponse
    const found = membersFor(c, s, max + 1)
    if (!found.ok) return found.res
    if (found.members.length > max) return wecomError(c, s, 45029)
    const origin = new URL(c.req.url).origin
    return wecomOk(c, { userlist: found.members.map((m) => userGetJson(m, origin)) })
  })
}

type Found = { ok: true; members: Member[] } | { ok: false; res: Response }

/** Stops after `cap` members, so a 45029 check costs O(limit), not O(org). */
function membersFor(c: Context, s: SandboxState, cap: number): Found {
  const caller = callerApp(c, s)
  if (caller === 'contact') return { ok: false, res: wecomError(c, s, 48009) }
  const param = departmentParam(c, s, visibilityFor(s, caller), 'department_id', true)
  if (!param.ok) return param
  const root = param.dept as Department
  const members: Member[] = []
  const seen = new Set<Member>()
  const take = (d: Department) => {
    for (const m of s.directory.membersOf.get(d.id) ?? []) {
      if (members.length >= cap) return
      if (m.status === 5 || seen.has(m)) continue
      seen.add(m)
      members.push(m)
    }
  }
  if (c.req.query('fetch_child') === '1') walkDepartments(s.directory, [root.id], take)
  else take(root)
  return { ok: true, members }
}
