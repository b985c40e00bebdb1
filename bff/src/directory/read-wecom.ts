import type { WeComClient, WeComDepartment, WeComUser } from '../wecom'
import { WeComError } from '../wecom'
import { departmentFromWeCom, memberFromWeCom } from './from-wecom'
import type { DepartmentRecord, MemberRecord } from './member-store'
import { mapLimit, withRetry, type RetryOptions, type WindowLimiter } from './pacing'
import { readNamedRange, withTagDepartments } from './visible-range'

export interface ReadOptions {
  /** The app whose visible range is read (agent/get). */
  agentId: string
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
 * Reads the whole directory the app can see, its whole visible range: `agent/get` names
 * departments, members and tags (`tag/get` gives a tag's members and departments); then
 * `department/list`, `user/list` per department (direct members), and `user/get` for each member
 * named in the range or a tag whom no department list had (only those: a 100k-member corp seen
 * through departments costs no per-member call). Members go to `onMembers` page by page. A
 * department too large for one answer (45029) is read as `user/simplelist` + `user/get`. Any
 * failure rejects: callers must not act on a partial read. Returns the departments.
 */
export async function readDirectory(wecom: WeComClient, o: ReadOptions): Promise<DepartmentRecord[]> {
  const call = <T extends object>(path: string, query: Record<string, string | number>) =>
    withRetry(async () => {
      o.beforeCall?.()
      await o.limiter.take(path)
      o.beforeCall?.()
      return wecom.get<T>(path, query)
    }, o.retry)

  const named = await readNamedRange(call, o.agentId, (items, fn) => mapLimit(items, o.concurrency, fn))
  const { department } = await call<{ department: WeComDepartment[] }>('/cgi-bin/department/list', {})
  const departments = (await withTagDepartments(call, department, named.tagDepartments)).map(departmentFromWeCom)
  const getUser = (userid: string) => withRetry(async () => (o.beforeCall?.(), await o.limiter.take('/cgi-bin/user/get'), o.beforeCall?.(), wecom.getUser(userid)), o.retry)
  let done = 0
  o.onProgress(0, departments.length)
  await mapLimit(departments, o.concurrency, async (d) => {
    let list: WeComUser[]
    try {
      list = (await call<{ userlist: WeComUser[] }>('/cgi-bin/user/list', { department_id: d.id })).userlist
    } catch (e) {
      if (!(e instanceof WeComError && e.errcode === 45029)) throw e
      const { userlist } = await call<{ userlist: { userid: string }[] }>('/cgi-bin/user/simplelist', { department_id: d.id })
      list = await mapLimit(userlist, 2, (u) => getUser(u.userid))
    }
    for (const u of list) named.people.delete(u.userid.toLowerCase())
    await o.onMembers(list.map(memberFromWeCom))
    o.onProgress(++done, departments.length)
  })
  // Named people in no visible department. One deleted since agent/get (60111) is simply gone.
  const people = await mapLimit([...named.people.values()], o.concurrency, async (userid) => {
    try {
      return await getUser(userid)
    } catch (e) {
      if (e instanceof WeComError && e.errcode === 60111) return undefined
      throw e
    }
  })
  const found = people.filter((u): u is WeComUser => u !== undefined)
  if (found.length) await o.onMembers(found.map(memberFromWeCom))
  return departments
}
