import type { Queryable } from '../db'
import { isActive } from '../directory/member-store'
import { ApiFailure } from '../errors'

/** The little of a member a host write needs: their spelling of the userid, name and standing. */
export interface Person {
  userid: string
  name: string
  status: number
  disabledAt?: Date
}

/**
 * The directory's records for a host todo's assignee (must be active: only they can open the
 * app) and requester (must exist; one who has since left may still have asked). 400 naming
 * each field otherwise. One indexed read for both, as it runs on every host write.
 */
export async function checkPeople(q: Queryable, p: { assignee?: string; requester?: string }): Promise<{ assignee?: Person; requester?: Person }> {
  const wanted = [p.assignee, p.requester].filter((u): u is string => !!u).map((u) => u.toLowerCase())
  const rows = wanted.length
    ? await q.query<{ userid: string; name: string; status: number; disabled_at: Date | null }>(
        'select userid, name, status, disabled_at from members where lower(userid) = any($1)',
        [wanted],
      )
    : []
  const find = (u: string | undefined): Person | undefined => {
    const r = u === undefined ? undefined : rows.find((r) => sameUser(r.userid, u))
    return r && { userid: r.userid, name: r.name, status: r.status, disabledAt: r.disabled_at ?? undefined }
  }
  const assignee = find(p.assignee)
  const requester = find(p.requester)
  const fields: Record<string, string> = {}
  if (p.assignee && !(assignee && isActive(assignee))) fields.assignee = 'not an active member'
  if (p.requester && !requester) fields.requester = 'not a member'
  if (Object.keys(fields).length) throw new ApiFailure('bad_request', `Unknown ${Object.keys(fields).join(' and ')} in the synced directory.`, { fields })
  return { assignee, requester }
}

export const sameUser = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
