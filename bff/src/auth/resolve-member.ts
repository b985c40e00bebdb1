import type { Queryable } from '../db'
import { departmentNames, upsertDepartment, upsertMember, type MemberRecord } from '../directory/member-store'
import type { Logger } from '../log'
import type { WeComClient } from '../wecom'

/**
 * Reads a member from WeCom (`user/get`) and stores them, with the names of departments we do
 * not know yet. Until directory sync owns the store, sign-in keeps it current this way.
 */
export async function resolveMember(wecom: WeComClient, db: Queryable, log: Logger, userid: string): Promise<MemberRecord> {
  const u = await wecom.getUser(userid)
  const member: MemberRecord = {
    userid: u.userid,
    name: u.name,
    alias: u.alias || undefined,
    position: u.position ?? '',
    avatar: u.avatar || u.thumb_avatar || undefined,
    departmentIds: u.department ?? [],
    mainDepartment: u.main_department ?? u.department?.[0],
    status: u.status,
  }
  await upsertMember(db, member)
  const known = await departmentNames(db, member.departmentIds)
  for (const id of member.departmentIds.filter((d) => !known.has(d))) {
    try {
      const d = await wecom.getDepartment(id)
      await upsertDepartment(db, { id: d.id, name: d.name, parentId: d.parentid, order: d.order })
    } catch (e) {
      // A department outside the visible range only costs us its name; sign-in goes on.
      log.warn('department name unavailable', { departmentId: id, err: e })
    }
  }
  return member
}
