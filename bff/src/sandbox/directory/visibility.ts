import type { SandboxTag, VisibleRange } from '../options'
import { isWithin, walkDepartments } from './org-index'
import type { Member } from './org-types'
import type { SandboxState, TokenApp } from '../state'

/** What a token may read. The contact-sync secret sees the whole directory. */
export type Visibility =
  | { all: true }
  | {
      all: false
      departments: Set<number>
      /** Listed departments not inside another listed one: department/list's starting points. */
      roots: number[]
      users: Set<string>
    }

const ALL: Visibility = { all: true }

const caches = new WeakMap<object, { range: VisibleRange; tags: SandboxTag[]; version: number; view: Visibility }>()

/**
 * The app's visible range expanded to department ids: O(departments) once per (range, tags, org
 * version), then O(1) per lookup. Cached on object identity: settings replace the range and tag
 * objects whenever they change them. A tag in the range adds its members and its departments
 * (with their subtrees), as the range's own departments and members do: WeCom's console offers
 * tags as a third way to name who may use the app (https://developer.work.weixin.qq.com/document/path/90227).
 * Whether department/list also lists a tag's departments is not documented [M]: the sandbox does,
 * and the portal's sync reads them either way.
 */
export function visibilityFor(s: SandboxState, app: TokenApp): Visibility {
  if (app === 'contact') return ALL
  const { visibleRange: range, tags } = s.settings
  const index = s.directory
  const cache = caches.get(index)
  if (cache && cache.range === range && cache.tags === tags && cache.version === index.version) return cache.view
  const inRange = tags.filter((t) => range.tags.includes(t.tagid))
  const named = [...range.departments, ...inRange.flatMap((t) => t.departments)]
  const listed = [...new Set(named)].filter((id) => index.departments.has(id))
  const roots = listed.filter((id) => !listed.some((other) => other !== id && isWithin(index, id, other)))
  const departments = new Set<number>()
  walkDepartments(index, roots, (d) => departments.add(d.id))
  const users = new Set([...range.users, ...inRange.flatMap((t) => t.users)].map((u) => u.toLowerCase()))
  const view: Visibility = { all: false, departments, roots, users }
  caches.set(index, { range, tags, version: index.version, view })
  return view
}

export function canSeeDepartment(v: Visibility, id: number): boolean {
  return v.all || v.departments.has(id)
}

/** In a visible department, or named in the range's users. */
export function canSeeMember(v: Visibility, m: Member): boolean {
  if (v.all || v.users.has(m.userid)) return true
  return m.department.some((id) => v.departments.has(id))
}

/** Top departments for a whole-range department/list: the root for the contact-sync token. */
export function visibleRoots(s: SandboxState, v: Visibility): number[] {
  if (!v.all) return v.roots
  return s.directory.org.departments.filter((d) => d.parentid === 0).map((d) => d.id)
}
