import type { WeComClient, WeComDepartment, WeComUser } from '../wecom'
import { WeComError } from '../wecom'
import { departmentFromWeCom, memberFromWeCom } from './from-wecom'
import type { DepartmentRecord, MemberRecord } from './member-store'
import { mapLimit, withRetry, type RetryOptions, type WindowLimiter } from './pacing'

export interface ReadOptions {
  concurrency: number
  retry: RetryOptions
  limiter: WindowLimiter
  /** Before each WeCom call; a throw ends the read (a stopping server). */
  beforeCall?: () => void
  onProgress(done: number, total: number): void
  /**
   * One department's direct members, as read (a member in several departments comes once per
   * department). Awaited: the read slows down rather than pile pages up in memory.
   */
  onMembers(members: MemberRecord[]): Promise<void>
}

/**
 * Reads the whole directory the app can see: `department/list`, then `user/list` per department
 * (direct members), handed to `onMembers` page by page. A department too large for one answer
 * (45029) is read as `user/simplelist` + `user/get`. Any failure rejects: callers must not act
 * on a partial read. Returns the departments.
 */
export async function readDirectory(wecom: WeComClient, o: ReadOptions): Promise<DepartmentRecord[]> {
  const call = <T extends object>(path: string, query: Record<string, string | number>) =>
    withRetry(async () => {
      o.beforeCall?.()
      await o.limiter.take(path)
      o.beforeCall?.()
      return wecom.get<T>(path, query)
    }, o.retry)

  const { department } = await call<{ department: WeComDepartment[] }>('/cgi-bin/department/list', {})
  const departments = department.map(departmentFromWeCom)
  let done = 0
  o.onProgress(0, departments.length)
  await mapLimit(departments, o.concurrency, async (d) => {
    let list: WeComUser[]
    try {
      list = (await call<{ userlist: WeComUser[] }>('/cgi-bin/user/list', { department_id: d.id })).userlist
    } catch (e) {
      if (!(e instanceof WeComError && e.errcode === 45029)) throw e
      const { userlist } = await call<{ userlist: { userid: string }[] }>('/cgi-bin/user/simplelist', { department_id: d.id })
      list = await mapLimit(userlist, 2, (u) => withRetry(async () => (o.beforeCall?.(), await o.limiter.take('/cgi-bin/user/get'), o.beforeCall?.(), wecom.getUser(u.userid)), o.retry))
    }
    await o.onMembers(list.map(memberFromWeCom))
    o.onProgress(++done, departments.length)
  })
  return departments
}
