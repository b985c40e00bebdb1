import type { Hono } from 'hono'
import { registerDepartmentLists } from './department-list'
import { registerUserListId } from './user-list-id'
import { registerUserLists } from './user-list'
import { callerApp } from '../tickets/caller-app'
import { wecomError, wecomOk } from '../errors'
import { departmentJson, userGetJson } from './member-json'
import { findMember } from './org-index'
import type { SandboxState } from '../state'
import { canSeeDepartment, canSeeMember, visibilityFor } from './visibility'

/**
 * The directory read APIs (members https://developer.work.weixin.qq.com/document/path/90196, departments https://developer.work.weixin.qq.com/document/path/90208), each limited to the app's visible range. An
 * out-of-range member or department answers 60011 ("no privilege to access/modify
 * contact/party/agent"), which is what WeCom sends for user/get and department/* outside the
 * range; 50002 is the OAuth/agent-side code and 60111 means "no such userid".
 *
 * Since 2022-08-15 the contact-sync secret may not read member details (user/get, user/list,
 * user/simplelist, department/list) from IPs added after that date — and every IP is new to the
 * sandbox — so those answer 48009 to its tokens (48009 in https://developer.work.weixin.qq.com/document/path/90313).
 */
export function registerDirectory(app: Hono, s: SandboxState): void {
  app.get('/cgi-bin/user/get', (c) => {
    if (callerApp(c, s) === 'contact') return wecomError(c, s, 48009)
    const userid = c.req.query('userid')
    if (!userid) return wecomError(c, s, 41009)
    const member = findMember(s.directory, userid)
    if (!member) return wecomError(c, s, 60111)
    if (!canSeeMember(visibilityFor(s, 'agent'), member)) return wecomError(c, s, 60011)
    return wecomOk(c, userGetJson(member, new URL(c.req.url).origin))
  })

  // Allowed to the contact-sync secret: it was introduced as the replacement for list reads.
  app.get('/cgi-bin/department/get', (c) => {
    const raw = c.req.query('id')
    if (!raw || !/^\d{1,10}$/.test(raw)) return wecomError(c, s, 40058, 'invalid Request Parameter, id')
    const dept = s.directory.departments.get(Number(raw))
    if (!dept) return wecomError(c, s, 60123)
    if (!canSeeDepartment(visibilityFor(s, callerApp(c, s)), dept.id)) return wecomError(c, s, 60011)
    return wecomOk(c, { department: departmentJson(dept) })
  })

  registerDepartmentLists(app, s)
  registerUserLists(app, s)
  registerUserListId(app, s)
}
