import type { Hono } from 'hono'
import { callerApp } from '../tickets/caller-app'
import { departmentParam } from './params'
import { wecomError, wecomOk } from '../errors'
import { departmentJson } from './member-json'
import { walkDepartments } from './org-index'
import type { Department } from './org-types'
import type { SandboxState } from '../state'
import { visibilityFor, visibleRoots, type Visibility } from './visibility'

/**
 * department/list and department/simplelist (https://developer.work.weixin.qq.com/document/path/90208, https://developer.work.weixin.qq.com/document/path/95350): without id every visible
 * department, with id that department's subtree; parents always come before their children.
 * A top visible department keeps its real parentid even though the app cannot see the parent.
 */
export function registerDepartmentLists(app: Hono, s: SandboxState): void {
  app.get('/cgi-bin/department/list', (c) => {
    const caller = callerApp(c, s)
    if (caller === 'contact') return wecomError(c, s, 48009)
    const v = visibilityFor(s, caller)
    const param = departmentParam(c, s, v, 'id', false)
    if (!param.ok) return param.res
    return wecomOk(c, { department: collect(s, v, param.dept).map(departmentJson) })
  })

  app.get('/cgi-bin/department/simplelist', (c) => {
    const v = visibilityFor(s, callerApp(c, s))
    const param = departmentParam(c, s, v, 'id', false)
    if (!param.ok) return param.res
    return wecomOk(c, { department_id: collect(s, v, param.dept).map((d) => ({ id: d.id, parentid: d.parentid, order: d.order })) })
  })
}

/** O(departments returned): the subtree of `from`, or of every visible root. */
function collect(s: SandboxState, v: Visibility, from: Department | undefined): Department[] {
  const out: Department[] = []
  walkDepartments(s.directory, from ? [from.id] : visibleRoots(s, v), (d) => out.push(d))
  return out
}
