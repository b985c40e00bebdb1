import type { Queryable } from '../db'
import { isActive, memberStandings } from '../directory/member-store'
import type { DirectoryReadModel } from '../directory/read-model'
import { ApiFailure } from '../errors'

/** The little of a member a host write needs: their spelling of the userid, name and standing. */
export interface Person {
  userid: string
  name: string
  status: number
  disabledAt?: Date
}

type People = { assignee?: Person; requester?: Person }
const fine = (p: { assignee?: string; requester?: string }, found: People) => (!p.assignee || (found.assignee && isActive(found.assignee))) && (!p.requester || found.requester)

/**
 * The directory's records for a host todo's assignee (must be active: only they can open the
 * app) and requester (must exist; one who has since left may still have asked). 400 naming
 * each field otherwise.
 *
 * This runs on every host write, so the in-memory directory (`model`, at most a few seconds
 * behind another instance's sync) answers when it has everyone as required; only a miss is
 * read from the database, which has the last word: a member added a moment ago elsewhere is
 * not refused. What the model can let through is a member disabled elsewhere in those seconds,
 * no different from one disabled right after the todo was created.
 */
export async function checkPeople(q: Queryable, p: { assignee?: string; requester?: string }, model?: DirectoryReadModel): Promise<People> {
  const view = model && (await model.current().catch(() => undefined))
  if (view) {
    const fromModel = (u: string | undefined) => (u === undefined ? undefined : view.members.get(u.toLowerCase()))
    const found = { assignee: fromModel(p.assignee), requester: fromModel(p.requester) }
    if (fine(p, found)) return found
  }
  const wanted = [p.assignee, p.requester].filter((u): u is string => !!u).map((u) => u.toLowerCase())
  const rows = await memberStandings(q, wanted)
  const find = (u: string | undefined): Person | undefined => (u === undefined ? undefined : rows.find((r) => sameUser(r.userid, u)))
  const assignee = find(p.assignee)
  const requester = find(p.requester)
  if (fine(p, { assignee, requester })) return { assignee, requester }
  const fields: Record<string, string> = {}
  if (p.assignee && !(assignee && isActive(assignee))) fields.assignee = 'not an active member'
  if (p.requester && !requester) fields.requester = 'not a member'
  throw new ApiFailure('bad_request', `Unknown ${Object.keys(fields).join(' and ')} in the synced directory.`, { fields })
}

export const sameUser = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
