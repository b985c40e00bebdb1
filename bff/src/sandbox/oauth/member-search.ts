import { demoPeople } from '../directory/demo-org'
import { departmentPath, type OrgIndex } from '../directory/org-index'
import type { Member } from '../directory/org-types'

export interface SearchResult {
  items: Member[]
  total: number
}

const demoIds = new Set(demoPeople.map((p) => p.userid))

/**
 * Case-insensitive match on userid, name, position or main department. An empty query lists
 * the named demo people first, then everyone in directory order. Linear scan: fine for 100k.
 */
export function searchMembers(index: OrgIndex, query: string, limit: number): SearchResult {
  const q = query.trim().toLowerCase()
  const items: Member[] = []
  let total = 0
  const push = (m: Member) => {
    total += 1
    if (items.length < limit) items.push(m)
  }
  if (!q) {
    for (const id of demoIds) {
      const m = index.members.get(id)
      if (m) push(m)
    }
    for (const m of index.org.members) if (!demoIds.has(m.userid)) push(m)
    return { items, total }
  }
  const deptHits = new Set<number>()
  for (const d of index.org.departments) if (departmentPath(index, d.id).toLowerCase().includes(q)) deptHits.add(d.id)
  for (const m of index.org.members) {
    if (m.userid.includes(q) || m.name.includes(q) || m.position.toLowerCase().includes(q) || deptHits.has(m.main_department)) push(m)
  }
  return { items, total }
}
