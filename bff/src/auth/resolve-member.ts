import type { Db } from '../db'
import { upsertDepartments, upsertMembers } from '../directory/apply-diff'
import { departmentFromWeCom, memberFromWeCom } from '../directory/from-wecom'
import { departmentNames, getMember, isActive, type MemberRecord } from '../directory/member-store'
import { bumpDirectoryVersion } from '../directory/version'
import type { Logger } from '../log'
import type { WeComClient } from '../wecom'

/**
 * The member signing in, from the synced store. WeCom is asked (`user/get`) only when the store
 * does not know them yet (joined since the last sync) or holds them as inactive (they may be back);
 * the answer is stored, with the names of departments the store lacks.
 */
export async function resolveMember(wecom: WeComClient, db: Db, log: Logger, userid: string, now: number): Promise<MemberRecord> {
  const stored = await getMember(db, userid)
  if (stored && isActive(stored)) return stored
  const member = memberFromWeCom(await wecom.getUser(userid))
  const ids = member.departments.map((d) => d.departmentId)
  const known = await departmentNames(db, ids)
  const missing: ReturnType<typeof departmentFromWeCom>[] = []
  for (const id of ids.filter((d) => !known.has(d))) {
    try {
      missing.push(departmentFromWeCom(await wecom.getDepartment(id)))
    } catch (e) {
      // A department outside the visible range only costs us its name; sign-in goes on.
      log.warn('department name unavailable', { departmentId: id, err: e })
    }
  }
  await db.transaction(async (tx) => {
    const at = new Date(now)
    await upsertDepartments(tx, missing, at)
    await upsertMembers(tx, [member], at)
    await bumpDirectoryVersion(tx, true)
  })
  return member
}
