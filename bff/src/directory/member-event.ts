import type { MemberRecord } from './member-store'

// A member as a change_contact event describes it (create_user, update_user), so that the
// event can be applied without reading the member back from WeCom (user/get) when it says
// enough. https://developer.work.weixin.qq.com/document/path/90970
// Mobile, Gender, Email, BizMail and Avatar come only to apps that may see them (apps created
// after 2022-06-20 get them from neither the event nor user/get), so they are optional here.

/** Fields without which a create_user event cannot stand for the member: missing any, the member is read back. */
const REQUIRED = ['Name', 'Department', 'MainDepartment', 'IsLeaderInDept', 'DirectLeader', 'Position', 'Status', 'Alias', 'Telephone'] as const

type Fields = Record<string, unknown>

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined)
const has = (f: Fields, k: string) => text(f[k]) !== undefined
const list = (v: string) => (v === '' ? [] : v.split(',').map((x) => x.trim()))
const int = (v: string | undefined) => (v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : undefined)
const optional = (v: string | undefined) => (v ? v : undefined)

/**
 * The member a create_user event describes, or undefined when it lacks a field the directory
 * keeps (then the member is read back). WeCom's event has no per-department order: it is 0, as
 * for a member created without one, until the next sync reads the real one.
 */
export function memberFromCreateEvent(userid: string, f: Fields): MemberRecord | undefined {
  if (!REQUIRED.every((k) => has(f, k))) return undefined
  const departments = list(text(f.Department)!).map(int)
  const leader = list(text(f.IsLeaderInDept)!)
  const status = int(text(f.Status))
  if (departments.some((d) => d === undefined) || leader.length !== departments.length || status === undefined) return undefined
  const base: MemberRecord = {
    userid,
    name: text(f.Name)!,
    position: text(f.Position)!,
    departments: departments.map((d, i) => ({ departmentId: d!, order: 0, isLeader: leader[i] === '1' })),
    mainDepartment: int(text(f.MainDepartment)) ?? departments[0],
    status,
    directLeaders: list(text(f.DirectLeader)!),
  }
  return withEventFields(base, f)
}

/**
 * `m` with an update_user event's changed fields applied, or undefined when the event changes
 * what it cannot carry whole (the departments: their order is not in it; a new UserID).
 */
export function memberWithUpdateEvent(m: MemberRecord, f: Fields): MemberRecord | undefined {
  if (has(f, 'Department') || has(f, 'NewUserID')) return undefined
  const next: MemberRecord = { ...m, departments: m.departments.map((d) => ({ ...d })) }
  if (has(f, 'Name')) next.name = text(f.Name)!
  if (has(f, 'Position')) next.position = text(f.Position)!
  if (has(f, 'DirectLeader')) next.directLeaders = list(text(f.DirectLeader)!)
  if (has(f, 'MainDepartment')) {
    const main = int(text(f.MainDepartment))
    if (main === undefined) return undefined
    next.mainDepartment = main
  }
  if (has(f, 'Status')) {
    const status = int(text(f.Status))
    if (status === undefined) return undefined
    next.status = status
  }
  if (has(f, 'IsLeaderInDept')) {
    const leader = list(text(f.IsLeaderInDept)!)
    // Flags in the order of the departments we hold: a different count means we hold the wrong ones.
    if (leader.length !== next.departments.length) return undefined
    next.departments.forEach((d, i) => (d.isLeader = leader[i] === '1'))
  }
  return withEventFields(next, f)
}

/** The optional fields the event carries (an empty value clears one, as user/get's empty string does). */
function withEventFields(m: MemberRecord, f: Fields): MemberRecord {
  const out = { ...m }
  if (has(f, 'Alias')) out.alias = optional(text(f.Alias))
  if (has(f, 'Telephone')) out.telephone = optional(text(f.Telephone))
  if (has(f, 'Mobile')) out.mobile = optional(text(f.Mobile))
  if (has(f, 'Email')) out.email = optional(text(f.Email))
  if (has(f, 'BizMail')) out.bizMail = optional(text(f.BizMail))
  if (has(f, 'Avatar')) out.avatar = optional(text(f.Avatar))
  if (has(f, 'Gender')) {
    const g = text(f.Gender)
    out.gender = g === '1' ? 1 : g === '2' ? 2 : undefined
  }
  return out
}
