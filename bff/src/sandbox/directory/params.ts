import type { Context } from 'hono'
import { wecomError } from '../errors'
import type { Department } from './org-types'
import type { SandboxState } from '../state'
import { canSeeDepartment, type Visibility } from './visibility'

export type DeptParam = { ok: true; dept: Department | undefined } | { ok: false; res: Response }

/**
 * A department id from the query: malformed → 40058, unknown → 60123, outside the visible
 * range → 60011. Absent → `dept: undefined` unless `required` (then 40058).
 */
export function departmentParam(c: Context, s: SandboxState, v: Visibility, name: string, required: boolean): DeptParam {
  const raw = c.req.query(name)
  if (raw === undefined || raw === '') {
    if (required) return { ok: false, res: wecomError(c, s, 40058, `invalid Request Parameter, ${name}`) }
    return { ok: true, dept: undefined }
  }
  if (!/^\d{1,10}$/.test(raw)) return { ok: false, res: wecomError(c, s, 40058, `invalid Request Parameter, ${name}`) }
  const dept = s.directory.departments.get(Number(raw))
  if (!dept) return { ok: false, res: wecomError(c, s, 60123) }
  if (!canSeeDepartment(v, dept.id)) return { ok: false, res: wecomError(c, s, 60011) }
  return { ok: true, dept }
}
