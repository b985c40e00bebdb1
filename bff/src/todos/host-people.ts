import type { Queryable } from '../db'
import { getMember, isActive, type MemberRecord } from '../directory/member-store'
import { ApiFailure } from '../errors'

/**
 * The directory's records for a host todo's assignee (must be active: only they can open the
 * app) and requester (must exist; one who has since left may still have asked). 400 naming
 * each field otherwise.
 */
export async function checkPeople(q: Queryable, p: { assignee?: string; requester?: string }): Promise<{ assignee?: MemberRecord; requester?: MemberRecord }> {
  const [assignee, requester] = await Promise.all([p.assignee ? getMember(q, p.assignee) : undefined, p.requester ? getMember(q, p.requester) : undefined])
  const fields: Record<string, string> = {}
  if (p.assignee && !(assignee && isActive(assignee))) fields.assignee = 'not an active member'
  if (p.requester && !requester) fields.requester = 'not a member'
  if (Object.keys(fields).length) throw new ApiFailure('bad_request', `Unknown ${Object.keys(fields).join(' and ')} in the synced directory.`, { fields })
  return { assignee: assignee ?? undefined, requester: requester ?? undefined }
}

export const sameUser = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
