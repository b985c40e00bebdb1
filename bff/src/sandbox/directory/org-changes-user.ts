import { userCreated, userDeleted, userUpdated, type ContactEvent } from './contact-events'
import { findMember, type OrgIndex } from './org-index'
import type { OrgUserCreate, OrgUserPatch } from './org-schemas'
import { addMember, moveMember, removeMember, renameMember } from './org-store'
import type { Member } from './org-types'
import type { SandboxState } from '../state'
import { canSeeMember, visibilityFor } from './visibility'

/** A change applied (with the event the app should hear of, if any) or refused with WeCom's errcode. */
export type ChangeOutcome<T> =
  | { ok: true; value: T; event: ContactEvent | undefined }
  | { ok: false; httpStatus: 400 | 404 | 409; errcode: number; errmsg?: string }

type Refusal = Extract<ChangeOutcome<never>, { ok: false }>

const refuse = (httpStatus: Refusal['httpStatus'], errcode: number, errmsg?: string): Refusal => ({ ok: false, httpStatus, errcode, errmsg })

/** 1–64 chars of [A-Za-z0-9_-@.], first a letter or digit (https://developer.work.weixin.qq.com/document/path/90195). */
const USERID = /^[A-Za-z0-9][A-Za-z0-9_\-@.]{0,63}$/
/** "用户同时归属部门不超过20个" (90313 on 60110). */
const MAX_DEPARTMENTS = 20

export function createUser(s: SandboxState, input: OrgUserCreate, origin: string): ChangeOutcome<Member> {
  if (!USERID.test(input.userid)) return refuse(400, 40003)
  if (findMember(s.directory, input.userid)) return refuse(409, 60102)
  const m: Member = {
    userid: input.userid.toLowerCase(),
    name: input.name,
    department: input.department,
    order: input.order ?? input.department.map(() => 0),
    is_leader_in_dept: input.is_leader_in_dept ?? input.department.map(() => 0),
    main_department: input.main_department ?? input.department[0] ?? 0,
    position: input.position ?? '',
    direct_leader: (input.direct_leader ?? []).map((u) => u.toLowerCase()),
    status: input.status ?? 4,
    alias: input.alias ?? '',
    telephone: input.telephone ?? '',
    sensitive: input.sensitive ?? undefined,
  }
  const bad = checkMember(s.directory, m)
  if (bad) return bad
  addMember(s.directory, m)
  s.orgChanged = true
  return { ok: true, value: m, event: canSeeMember(visibilityFor(s, 'agent'), m) ? userCreated(m, origin) : undefined }
}

/**
 * Status 5 means the member quit: WeCom drops them from the directory, so the app hears
 * delete_user; coming back from 5 is a create_user. An app hears of a change when the member
 * was visible to it before or after.
 */
export function updateUser(s: SandboxState, userid: string, patch: OrgUserPatch, origin: string): ChangeOutcome<Member> {
  const m = findMember(s.directory, userid)
  if (!m) return refuse(404, 60111)
  const before = structuredClone(m)
  const next = applyPatch(m, patch)
  if (patch.new_userid !== undefined) {
    if (!USERID.test(patch.new_userid)) return refuse(400, 40003, 'invalid new_userid')
    const taken = findMember(s.directory, patch.new_userid)
    if (taken && taken !== m) return refuse(409, 60102)
  }
  const bad = checkMember(s.directory, next)
  if (bad) return bad
  const seenBefore = canSeeMember(visibilityFor(s, 'agent'), m)
  Object.assign(m, { ...next, userid: m.userid })
  moveMember(s.directory, m, before.department)
  if (next.userid !== m.userid) renameMember(s.directory, m, next.userid)
  s.orgChanged = true
  const seen = seenBefore || canSeeMember(visibilityFor(s, 'agent'), m)
  return { ok: true, value: m, event: seen ? statusAwareEvent(before, m, origin) : undefined }
}

export function deleteUser(s: SandboxState, userid: string): ChangeOutcome<{ userid: string }> {
  const m = findMember(s.directory, userid)
  if (!m) return refuse(404, 60111)
  const seen = m.status !== 5 && canSeeMember(visibilityFor(s, 'agent'), m)
  removeMember(s.directory, m)
  s.orgChanged = true
  return { ok: true, value: { userid: m.userid }, event: seen ? userDeleted(m.userid) : undefined }
}

function statusAwareEvent(before: Member, after: Member, origin: string): ContactEvent | undefined {
  if (before.status === 5 && after.status === 5) return undefined
  if (after.status === 5) return userDeleted(before.userid)
  if (before.status === 5) return userCreated(after, origin)
  return userUpdated(before, after, origin)
}

/** The member as the patch would leave it (not applied yet). Parallel arrays follow department. */
function applyPatch(m: Member, p: OrgUserPatch): Member {
  const department = p.department ?? m.department
  const carried = (values: number[]) => department.map((id) => values[m.department.indexOf(id)] ?? 0)
  const main = p.main_department ?? (department.includes(m.main_department) ? m.main_department : (department[0] ?? 0))
  return {
    ...m,
    userid: p.new_userid?.toLowerCase() ?? m.userid,
    name: p.name ?? m.name,
    department: [...department],
    order: p.order ?? carried(m.order),
    is_leader_in_dept: p.is_leader_in_dept ?? carried(m.is_leader_in_dept),
    main_department: main,
    position: p.position ?? m.position,
    direct_leader: p.direct_leader?.map((u) => u.toLowerCase()) ?? m.direct_leader,
    status: p.status ?? m.status,
    alias: p.alias ?? m.alias,
    telephone: p.telephone ?? m.telephone,
    sensitive: p.sensitive === undefined ? m.sensitive : (p.sensitive ?? undefined),
  }
}

/** WeCom's member rules, each with the errcode its user/create and user/update answer. */
function checkMember(index: OrgIndex, m: Member): Refusal | undefined {
  if (m.name.length < 1 || m.name.length > 64) return refuse(400, 60112)
  if (m.department.length === 0) return refuse(400, 41019)
  if (m.department.length > MAX_DEPARTMENTS) return refuse(400, 60110)
  if (new Set(m.department).size !== m.department.length) return refuse(400, 40058, 'invalid Request Parameter, duplicate department')
  for (const id of m.department) if (!index.departments.has(id)) return refuse(400, 60003, `department not found: ${id}`)
  if (m.is_leader_in_dept.length !== m.department.length) return refuse(400, 60132)
  if (m.order.length !== m.department.length) return refuse(400, 40058, 'invalid Request Parameter, order must parallel department')
  if (!m.department.includes(m.main_department)) return refuse(400, 40058, 'invalid Request Parameter, main_department must be one of department')
  for (const leader of m.direct_leader) {
    if (leader === m.userid) return refuse(400, 40058, 'invalid Request Parameter, direct_leader cannot be the member')
    if (!index.members.has(leader)) return refuse(400, 60111, `direct_leader not found: ${leader}`)
  }
  return undefined
}
