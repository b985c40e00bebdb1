import type { Department, Member } from './org-types'

/** One XML element of the event: strings go in CDATA, numbers (ids, status, time) bare, as WeCom's samples do. */
export type EventField = readonly [tag: string, value: string | number]

/** A change_contact event before it is wrapped, encrypted and signed (https://developer.work.weixin.qq.com/document/path/90970). */
export interface ContactEvent {
  changeType: 'create_user' | 'update_user' | 'delete_user' | 'create_party' | 'update_party' | 'delete_party'
  fields: EventField[]
}

/**
 * Member fields in the order of WeCom's create_user sample. Mobile, Gender, Email and Avatar
 * only for members the sandbox treats as pre-2022, by the same rule as user/get: apps created
 * after 2022-06-20 do not receive them (https://developer.work.weixin.qq.com/document/path/90196, https://developer.work.weixin.qq.com/document/path/90970).
 */
function memberFields(m: Member, origin: string): EventField[] {
  const fields: EventField[] = [
    ['Name', m.name],
    ['Department', m.department.join(',')],
    ['MainDepartment', m.main_department],
    ['IsLeaderInDept', m.is_leader_in_dept.join(',')],
    ['DirectLeader', m.direct_leader.join(',')],
    ['Position', m.position],
  ]
  if (m.sensitive) fields.push(['Mobile', m.sensitive.mobile], ['Gender', Number(m.sensitive.gender)], ['Email', m.sensitive.email])
  fields.push(['Status', m.status])
  if (m.sensitive) fields.push(['Avatar', `${origin}/sandbox/avatar/${encodeURIComponent(m.userid)}`])
  fields.push(['Alias', m.alias], ['Telephone', m.telephone])
  return fields
}

export function userCreated(m: Member, origin: string): ContactEvent {
  return { changeType: 'create_user', fields: [['UserID', m.userid], ...memberFields(m, origin)] }
}

/**
 * UserID is the id before the change, NewUserID the new one if it changed; of the other fields
 * only those that changed are sent ("only changed fields are present", https://developer.work.weixin.qq.com/document/path/90970).
 */
export function userUpdated(before: Member, after: Member, origin: string): ContactEvent | undefined {
  const old = new Map(memberFields(before, origin).map(([tag, value]) => [tag, value]))
  const changed = memberFields(after, origin).filter(([tag, value]) => tag !== 'Avatar' && old.get(tag) !== value)
  const renamed = before.userid !== after.userid
  if (!renamed && changed.length === 0) return undefined
  const fields: EventField[] = [['UserID', before.userid]]
  if (renamed) fields.push(['NewUserID', after.userid])
  return { changeType: 'update_user', fields: [...fields, ...changed] }
}

export function userDeleted(userid: string): ContactEvent {
  return { changeType: 'delete_user', fields: [['UserID', userid]] }
}

export function partyCreated(d: Department): ContactEvent {
  return { changeType: 'create_party', fields: [['Id', d.id], ['Name', d.name], ['ParentId', d.parentid], ['Order', d.order]] }
}

/**
 * update_party carries Id plus Name and/or ParentId when they changed. WeCom's field list has
 * no Order or name_en, so a change of only those sends no event.
 */
export function partyUpdated(before: Pick<Department, 'name' | 'parentid'>, after: Department): ContactEvent | undefined {
  const fields: EventField[] = [['Id', after.id]]
  if (before.name !== after.name) fields.push(['Name', after.name])
  if (before.parentid !== after.parentid) fields.push(['ParentId', after.parentid])
  return fields.length > 1 ? { changeType: 'update_party', fields } : undefined
}

export function partyDeleted(id: number): ContactEvent {
  return { changeType: 'delete_party', fields: [['Id', id]] }
}
