import type { Department, Member } from './org-types'

/**
 * user/get's body for a self-built app (https://developer.work.weixin.qq.com/document/path/90196). mobile/email/gender/avatar appear
 * only for members flagged as created before 2022, as post-2022-06-20 apps see the directory.
 * Avatars point at the sandbox itself (`origin`) because the machine is offline.
 */
export function userGetJson(m: Member, origin: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    userid: m.userid,
    name: m.name,
    department: m.department,
    order: m.order,
    position: m.position,
    is_leader_in_dept: m.is_leader_in_dept,
    direct_leader: m.direct_leader,
    main_department: m.main_department,
    status: m.status,
    alias: m.alias,
    telephone: m.telephone,
  }
  if (m.sensitive) {
    const avatar = `${origin}/sandbox/avatar/${encodeURIComponent(m.userid)}`
    Object.assign(body, {
      mobile: m.sensitive.mobile,
      gender: m.sensitive.gender,
      email: m.sensitive.email,
      avatar,
      thumb_avatar: `${avatar}?size=100`,
    })
  }
  return body
}

export function departmentJson(d: Department): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    name_en: d.name_en,
    department_leader: d.department_leader,
    parentid: d.parentid,
    order: d.order,
  }
}
