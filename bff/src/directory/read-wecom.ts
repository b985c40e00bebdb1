import type { WeComClient, WeComDepartment, WeComUser } from '../wecom'
import { WeComError } from '../wecom'
import { departmentFromWeCom, memberFromWeCom } from './from-wecom'
import type { DepartmentRecord, MemberRecord } from './member-store'
import { mapLimit, withRetry, type RetryOptions, type WindowLimiter } from './pacing'

export interface ReadOptions {
  concurrency: number
  retry: RetryOptions
  limiter: WindowLimiter
  onProgress(done: number, total: number): void
}

export interface Upstream {
  departments: DepartmentRecord[]
  members: MemberRecord[]
  /** Departments whose parent the app cannot see. */
  roots: number[]
}

/**
 * Reads the whole directory the app can see: `department/list`, then `user/list` per department
 * (direct members; a member in several departments is kept once). A department too large for
 * one answer (45029) is read as `user/simplelist` + `user/get`. Any failure rejects: callers must
 * not act on a partial read.
 */
export async function readDirectory(wecom: WeComClient, o: ReadOptions): Promise<Upstream> {
  const call = <T extends object>(path: string, query: Record<string, string | number>) =>
    withRetry(async () => {
      await o.limiter.take(path)
      return wecom.get<T>(path, query)
    }, o.retry)

  const { department } = await call<{ department: WeComDepartment[] }>('/cgi-bin/department/list', {})
  const departments = department.map(departmentFromWeCom)
  const visible = new Set(departments.map((d) => d.id))
  const roots = departments.filter((d) => !d.parentId || !visible.has(d.parentId)).map((d) => d.id)

  const members = new Map<string, MemberRecord>()
  let done = 0
  o.onProgress(0, departments.length)
  await mapLimit(departments, o.concurrency, async (d) => {
    let list: WeComUser[]
    try {
      list = (await call<{ userlist: WeComUser[] }>('/cgi-bin/user/list', { department_id: d.id })).userlist
    } catch (e) {
      if (!(e instanceof WeComError && e.errcode === 45029)) throw e
      const { userlist } = await call<{ userlist: { userid: string }[] }>('/cgi-bin/user/simplelist', { department_id: d.id })
      list = await mapLimit(userlist, 2, (u) => withRetry(async () => (await o.limiter.take('/cgi-bin/user/get'), wecom.getUser(u.userid)), o.retry))
    }
    for (const u of list) if (!members.has(u.userid.toLowerCase())) members.set(u.userid.toLowerCase(), memberFromWeCom(u))
    o.onProgress(++done, departments.length)
  })
  return { departments, members: [...members.values()], roots }
}
