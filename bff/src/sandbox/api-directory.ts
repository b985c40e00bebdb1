import type { Hono } from 'hono'
import { wecomError, wecomOk } from './errors'
import { departmentJson, userGetJson } from './member-json'
import { findMember } from './org-index'
import type { SandboxState } from './state'

/** user/get and department/get (wecom-api.md §5.2, §5.3); the whole org is the visible range. */
export function registerDirectory(app: Hono, s: SandboxState): void {
  app.get('/cgi-bin/user/get', (c) => {
    const userid = c.req.query('userid')
    if (!userid) return wecomError(c, s, 41009)
    const member = findMember(s.directory, userid)
    if (!member) return wecomError(c, s, 60111)
    return wecomOk(c, userGetJson(member, new URL(c.req.url).origin))
  })

  app.get('/cgi-bin/department/get', (c) => {
    const raw = c.req.query('id')
    if (!raw || !/^\d{1,10}$/.test(raw)) return wecomError(c, s, 40058, 'invalid Request Parameter, id')
    const dept = s.directory.departments.get(Number(raw))
    if (!dept) return wecomError(c, s, 60123)
    return wecomOk(c, { department: departmentJson(dept) })
  })
}
