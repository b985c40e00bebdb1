import type { WeComDepartment, WeComUser } from '../wecom'
import type { DepartmentRecord, MemberRecord } from './member-store'

/** WeCom's member JSON → our record. Fields WeCom leaves out (2022 rules) stay undefined. */
export function memberFromWeCom(u: WeComUser): MemberRecord {
  const depts = u.department ?? []
  const text = (v: string | undefined) => (v ? v : undefined)
  const gender = u.gender === '1' ? 1 : u.gender === '2' ? 2 : undefined
  return {
    userid: u.userid,
    name: u.name,
    alias: text(u.alias),
    position: u.position ?? '',
    avatar: text(u.avatar) ?? text(u.thumb_avatar),
    departments: depts.map((d, i) => ({ departmentId: d, order: u.order?.[i] ?? 0, isLeader: u.is_leader_in_dept?.[i] === 1 })),
    mainDepartment: u.main_department ?? depts[0],
    status: u.status,
    gender,
    mobile: text(u.mobile),
    telephone: text(u.telephone),
    email: text(u.email),
    bizMail: text(u.biz_mail),
    directLeaders: u.direct_leader ?? [],
  }
}

export function departmentFromWeCom(d: WeComDepartment): DepartmentRecord {
  return {
    id: d.id,
    name: d.name,
    nameEn: d.name_en || undefined,
    parentId: d.parentid || undefined,
    order: d.order ?? 0,
    leaders: d.department_leader ?? [],
  }
}
