import { partyCreated, partyDeleted, partyUpdated } from './contact-events'
import type { ChangeOutcome } from './org-changes-user'
import { isWithin, type OrgIndex } from './org-index'
import type { OrgDepartmentCreate, OrgDepartmentPatch } from './org-schemas'
import { addDepartment, moveDepartment, removeDepartment, touchDepartment } from './org-store'
import type { Department } from './org-types'
import type { SandboxState } from '../state'
import { canSeeDepartment, visibilityFor } from './visibility'

type Refusal = Extract<ChangeOutcome<never>, { ok: false }>

const refuse = (httpStatus: Refusal['httpStatus'], errcode: number, errmsg?: string): Refusal => ({ ok: false, httpStatus, errcode, errmsg })

/** 90313: 60001 "不能为空且长度不能超过32个字", 60009 "不能含有 :?*\"<>| 等字符". */
const MAX_NAME = 32
const BAD_NAME_CHARS = /[\\:*?"<>|]/
/** "≤15 levels" (https://developer.work.weixin.qq.com/document/path/90205). */
const MAX_DEPTH = 15

export function createDepartment(s: SandboxState, input: OrgDepartmentCreate): ChangeOutcome<Department> {
  const index = s.directory
  const parent = index.departments.get(input.parentid)
  if (!parent) return refuse(400, 60004)
  const badName = checkName(index, input.name, parent.id, undefined)
  if (badName) return badName
  if (input.id !== undefined && index.departments.has(input.id)) return refuse(409, 60008, `department id existed: ${input.id}`)
  if (parent.depth + 1 > MAX_DEPTH) return refuse(400, 40058, `invalid Request Parameter, more than ${MAX_DEPTH} levels`)
  const d: Department = {
    id: input.id ?? nextId(index),
    name: input.name,
    name_en: input.name_en ?? '',
    parentid: parent.id,
    order: input.order ?? 0,
    department_leader: [],
    kind: parent.kind,
    depth: parent.depth + 1,
  }
  addDepartment(index, d)
  s.orgChanged = true
  return { ok: true, value: d, event: canSeeDepartment(visibilityFor(s, 'agent'), d.id) ? partyCreated(d) : undefined }
}

/** Rename, move (not below itself: 60010), reorder. The app hears of it if it saw the department before or after. */
export function updateDepartment(s: SandboxState, id: number, patch: OrgDepartmentPatch): ChangeOutcome<Department> {
  const index = s.directory
  const d = index.departments.get(id)
  if (!d) return refuse(404, 60003)
  const parentid = patch.parentid ?? d.parentid
  let parent: Department | undefined
  if (parentid !== d.parentid) {
    if (d.parentid === 0) return refuse(400, 40058, 'invalid Request Parameter, the root department cannot move')
    parent = index.departments.get(parentid)
    if (!parent) return refuse(400, 60004)
    if (isWithin(index, parent.id, d.id)) return refuse(400, 60010)
  }
  const name = patch.name ?? d.name
  if (patch.name !== undefined || parent) {
    const badName = checkName(index, name, parentid, d)
    if (badName) return badName
  }
  const seenBefore = canSeeDepartment(visibilityFor(s, 'agent'), d.id)
  const before = { name: d.name, parentid: d.parentid }
  d.name = name
  if (patch.name_en !== undefined) d.name_en = patch.name_en
  if (patch.order !== undefined) d.order = patch.order
  if (parent) moveDepartment(index, d, parent)
  else touchDepartment(index)
  s.orgChanged = true
  const seen = seenBefore || canSeeDepartment(visibilityFor(s, 'agent'), d.id)
  return { ok: true, value: d, event: seen ? partyUpdated(before, d) : undefined }
}

/** Only an empty department goes: no sub-departments (60006), no members of any status (60005), never the root (60007). */
export function deleteDepartment(s: SandboxState, id: number): ChangeOutcome<{ id: number }> {
  const index = s.directory
  const d = index.departments.get(id)
  if (!d) return refuse(404, 60003)
  if (d.parentid === 0) return refuse(409, 60007)
  if ((index.children.get(d.id)?.length ?? 0) > 0) return refuse(409, 60006)
  if ((index.membersOf.get(d.id)?.length ?? 0) > 0) return refuse(409, 60005)
  const seen = canSeeDepartment(visibilityFor(s, 'agent'), d.id)
  removeDepartment(index, d)
  s.orgChanged = true
  return { ok: true, value: { id }, event: seen ? partyDeleted(id) : undefined }
}

/** Non-empty, ≤32 characters, no :*?"<>| and unique among its siblings (60008). */
function checkName(index: OrgIndex, name: string, parentid: number, self: Department | undefined): Refusal | undefined {
  if (name.trim().length === 0 || [...name].length > MAX_NAME) return refuse(400, 60001)
  if (BAD_NAME_CHARS.test(name)) return refuse(400, 60009)
  const clash = (index.children.get(parentid) ?? []).some((sib) => sib !== self && sib.name === name)
  return clash ? refuse(409, 60008, `department name existed under ${parentid}: ${name}`) : undefined
}

function nextId(index: OrgIndex): number {
  let max = 0
  for (const id of index.departments.keys()) if (id > max) max = id
  return max + 1
}
