import { walkDepartments } from '../directory/org-index'
import type { Member } from '../directory/org-types'
import type { SandboxState } from '../state'
import { canSeeDepartment, canSeeMember, visibilityFor } from '../directory/visibility'

export interface Recipients {
  /** Members to deliver to, each once, in the order named. */
  members: Member[]
  /** As WeCom reports them: userids lower-cased. */
  invaliduser: string[]
  invalidparty: string[]
  invalidtag: string[]
  /** Nothing at all was valid: the call fails with 81013. */
  allInvalid: boolean
}

export type RecipientsResult = { ok: true; value: Recipients } | { ok: false; errcode: number; errmsg: string }

const MAX_USERS = 1000
const MAX_PARTIES = 100
const MAX_TAGS = 100

/** `"a|b|c"` (numbers allowed for ids) → the non-empty parts. */
function splitIds(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return []
  if (typeof v !== 'string' && typeof v !== 'number') return undefined
  return String(v)
    .split('|')
    .map((x) => x.trim())
    .filter(Boolean)
}

/**
 * Can receive app messages: active (1) or not yet activated (4) — the latter see them once they
 * join. Disabled (2) and quit (5) members cannot, and are reported invalid like unknown ids.
 */
function canReceive(m: Member): boolean {
  return m.status === 1 || m.status === 4
}

/**
 * touser / toparty / totag (https://developer.work.weixin.qq.com/document/path/90236): ≤1000 users (40032), ≤100 parties (82002) and tags
 * (82003); none given → 82001. `@all` is everyone in the visible range and overrides the rest.
 * A party sends to its whole subtree. The sandbox org has no tags, so every tag is invalid.
 */
export function resolveRecipients(s: SandboxState, body: Record<string, unknown>): RecipientsResult {
  const users = splitIds(body.touser)
  const parties = splitIds(body.toparty)
  const tags = splitIds(body.totag)
  if (!users || !parties || !tags) return { ok: false, errcode: 40058, errmsg: 'invalid Request Parameter: touser, toparty and totag are "|"-separated strings' }
  if (users.length > MAX_USERS) return { ok: false, errcode: 40032, errmsg: `invalid userid list size: at most ${MAX_USERS}` }
  if (parties.length > MAX_PARTIES) return { ok: false, errcode: 82002, errmsg: `invalid party list size: at most ${MAX_PARTIES}` }
  if (tags.length > MAX_TAGS) return { ok: false, errcode: 82003, errmsg: `invalid tag list size: at most ${MAX_TAGS}` }
  if (users.length + parties.length + tags.length === 0) return { ok: false, errcode: 82001, errmsg: 'touser, toparty and totag are all empty' }

  const v = visibilityFor(s, 'agent')
  const members: Member[] = []
  const seen = new Set<string>()
  const add = (m: Member) => {
    if (seen.has(m.userid) || !canReceive(m)) return
    seen.add(m.userid)
    members.push(m)
  }
  if (users.includes('@all')) {
    for (const m of s.directory.org.members) if (canSeeMember(v, m)) add(m)
    return { ok: true, value: { members, invaliduser: [], invalidparty: [], invalidtag: [], allInvalid: false } }
  }
  const invaliduser: string[] = []
  let anyValid = false
  for (const raw of users) {
    const m = s.directory.members.get(raw.toLowerCase())
    if (!m || !canReceive(m) || !canSeeMember(v, m)) invaliduser.push(raw.toLowerCase())
    else {
      anyValid = true
      add(m)
    }
  }
  const invalidparty: string[] = []
  for (const raw of parties) {
    const id = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN
    if (!s.directory.departments.has(id) || !canSeeDepartment(v, id)) {
      invalidparty.push(raw)
      continue
    }
    anyValid = true
    walkDepartments(s.directory, [id], (d) => {
      for (const m of s.directory.membersOf.get(d.id) ?? []) add(m)
    })
  }
  return { ok: true, value: { members, invaliduser, invalidparty, invalidtag: [...tags], allInvalid: !anyValid } }
}
