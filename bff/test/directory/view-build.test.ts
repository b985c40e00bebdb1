import { describe, expect, it } from 'vitest'
import type { StoredDepartment } from '../../src/directory/diff'
import type { MemberRecord } from '../../src/directory/member-store'
import { generateOrg } from '../../src/sandbox'
import { createRng, pickIndex } from '../../src/sandbox/prng'
import { buildView, sameDepartments, updateView, type DirectoryView } from '../../src/directory/view-build'

// A generated org: nested departments, one removed (its people are 其他可见成员 unless in another),
// and members active, not activated, disabled in WeCom and disabled by a sync.
const org = generateOrg({ departments: 40, members: 1_200, seed: 5 })
const removed = org.departments[7]!.id
const departments = new Map<number, StoredDepartment>(
  org.departments.map((d) => [
    d.id,
    { id: d.id, name: d.name, parentId: d.parentid || undefined, order: d.order, leaders: d.department_leader, ...(d.id === removed ? { removedAt: new Date(0) } : {}) },
  ]),
)
const base: MemberRecord[] = org.members.map((u, i) => ({
  userid: u.userid,
  name: u.name,
  position: u.position,
  departments: u.department.map((d, k) => ({ departmentId: d, order: u.order[k] ?? 0, isLeader: u.is_leader_in_dept[k] === 1 })),
  status: i % 31 === 0 ? 4 : i % 37 === 0 ? 2 : 1,
  ...(i % 41 === 0 ? { disabledAt: new Date(0) } : {}),
  directLeaders: [],
}))

/** What a reader of the view sees of it, in plain values. */
function seen(v: DirectoryView) {
  return {
    treeBody: v.treeBody,
    paths: [...v.departments].map(([id, d]) => [id, d.path.join('/')]).sort(),
    byDepartment: [...v.byDepartment].map(([id, list]) => [id, list.map((m) => m.userid)]).sort((a, b) => Number(a[0]) - Number(b[0])),
    others: v.others.map((m) => m.userid),
    members: [...v.members].sort(([a], [b]) => (a < b ? -1 : 1)),
    search: ['zh', 'li', 'wang', '工程', 'x'].map((q) => v.search.search(q, 50)),
  }
}

describe('directory view updated by the members written since it was built', () => {
  it('is, change after change, what a build from every member makes', async () => {
    const rng = createRng(3)
    const rand = (n: number) => pickIndex(rng, n)
    const live = org.departments.map((d) => d.id)
    const current = new Map(base.map((m) => [m.userid.toLowerCase(), m]))
    let view = await buildView(1, null, { departments, members: current.values() })
    for (let round = 0; round < 8; round++) {
      const written = new Map<string, MemberRecord>()
      for (let c = 1 + rand(5); c > 0; c--) {
        const m = [...current.values()][rand(current.size)]!
        const kind = rand(7)
        const next: MemberRecord =
          kind === 0
            ? { ...m, departments: [{ departmentId: live[rand(live.length)]!, order: rand(100), isLeader: false }] }
            : kind === 1
              ? { ...m, status: m.status === 1 ? 2 : 1 }
              : kind === 2
                ? { ...m, disabledAt: m.disabledAt ? undefined : new Date(round) }
                : kind === 3
                  ? { ...m, name: `${m.name}${round}` }
                  : kind === 4
                    ? { ...m, userid: `new-${round}-${c}`, departments: rand(2) ? [] : [{ departmentId: removed, order: 0, isLeader: false }] }
                    : kind === 5
                      ? { ...m, departments: [...m.departments, { departmentId: live[rand(live.length)]!, order: 5, isLeader: true }] }
                      : { ...m, position: `岗位 ${round}` }
        written.set(next.userid.toLowerCase(), next)
      }
      for (const [k, m] of written) current.set(k, m)
      const updated = await updateView(view, view.version + 1, null, written)
      const built = await buildView(view.version + 1, null, { departments, members: current.values() })
      expect(seen(updated), `round ${round}`).toEqual(seen(built))
      view = updated
    }
  })

  it('keeps the tree when nobody listed moved (a position edited), and builds it again when someone did', async () => {
    const view = await buildView(1, null, { departments, members: base })
    const someone = base.find((m) => m.status === 1 && !m.disabledAt)!
    const edited = await updateView(view, 2, null, new Map([[someone.userid.toLowerCase(), { ...someone, position: '架构师' }]]))
    // Not built again: the same paths map, not an equal one.
    expect(edited.departments).toBe(view.departments)
    expect(edited.treeBody).toBe(view.treeBody)
    expect(edited.byDepartment.get(someone.departments[0]!.departmentId)!.map((m) => m.position)).toContain('架构师')
    const gone = await updateView(edited, 3, null, new Map([[someone.userid.toLowerCase(), { ...someone, disabledAt: new Date() }]]))
    expect(gone.treeBody).not.toBe(edited.treeBody)
    expect(JSON.parse(gone.treeBody)).toEqual(JSON.parse((await buildView(3, null, { departments, members: [...base.filter((m) => m !== someone), { ...someone, disabledAt: new Date() }] })).treeBody))
  })

  it('moves people in and out of 其他可见成员 as their departments come and go', async () => {
    const view = await buildView(1, null, { departments, members: base })
    const other = view.others[0]!
    const placed = base.find((m) => m.status === 1 && !m.disabledAt && m.departments.length === 1 && m.departments[0]!.departmentId !== removed)!
    const out = { ...other, departments: [{ departmentId: org.departments[2]!.id, order: 0, isLeader: false }] }
    const moved = await updateView(view, 2, null, new Map([[other.userid.toLowerCase(), out]]))
    expect(moved.others.map((m) => m.userid)).not.toContain(other.userid)
    const into = { ...placed, departments: [{ departmentId: removed, order: 0, isLeader: false }] }
    const back = await updateView(moved, 3, null, new Map([[placed.userid.toLowerCase(), into]]))
    expect(back.others.map((m) => m.userid)).toContain(placed.userid)
    const all = base.map((m) => (m === other ? out : m === placed ? into : m))
    expect(seen(back)).toEqual(seen(await buildView(3, null, { departments, members: all })))
  })

  it('tells departments apart field by field', () => {
    const copy = () => new Map([...departments].map(([id, d]) => [id, { ...d, leaders: [...d.leaders] }]))
    expect(sameDepartments(departments, copy())).toBe(true)
    for (const change of [
      (d: StoredDepartment) => (d.name += '2'),
      (d: StoredDepartment) => (d.order += 1),
      (d: StoredDepartment) => (d.parentId = 999),
      (d: StoredDepartment) => (d.removedAt = new Date(1)),
      (d: StoredDepartment) => d.leaders.push('lisi'),
      (d: StoredDepartment) => (d.nameEn = 'R&D'),
    ]) {
      const other = copy()
      change(other.get(org.departments[3]!.id)!)
      expect(sameDepartments(departments, other)).toBe(false)
    }
    const fewer = copy()
    fewer.delete(org.departments[3]!.id)
    expect(sameDepartments(departments, fewer)).toBe(false)
  })
})
