import type { VisibleRange } from './options'
import { isWithin, walkDepartments } from './org-index'
import type { Member } from './org-types'
import type { SandboxState, TokenApp } from './state'

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

const caches = new WeakMap<object, { range: VisibleRange; version: number; view: Visibility }>()

/**
 * The app's visible range expanded to department ids: O(departments) once per (range, org
 * version), then O(1) per lookup. Cached on object identity: settings replace the range object
 * whenever they change it.
 */
export function visibilityFor(s: SandboxState, app: TokenApp): Visibility {
  if (app === 'contact') return ALL
  const range = s.settings.visibleRange
  const index = s.directory
  const cache = caches.get(index)
  if (cache && cache.range === range && cache.version === index.version) return cache.view
  const listed = range.departments.filter((id) => index.departments.has(id))
  const roots = listed.filter((id) => !listed.some((other) => other !== id && isWithin(index, id, other)))
  const departments = new Set<number>()
  walkDepartments(index, roots, (d) => departments.add(d.id))
  const view: Visibility = { all: false, departments, roots, users: new Set(range.users.map((u) => u.toLowerCase())) }
  caches.set(index, { range, version: index.version, view })
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
