import { demoPeople } from './demo-org'
import { departmentPath } from './org-index'
import type { SandboxState } from '../state'

export interface DemoUser {
  userid: string
  name: string
  position: string
  department: string
  status: number
  note?: string
}

/** The named people, with their current status (the admin API may have changed it). */
export function demoUsers(s: SandboxState): DemoUser[] {
  return demoPeople.flatMap((p) => {
    const m = s.directory.members.get(p.userid)
    if (!m) return []
    return [{ userid: m.userid, name: m.name, position: m.position, department: departmentPath(s.directory, m.main_department), status: m.status, note: p.note }]
  })
}
