import { describe, expect, it } from 'vitest'
import { diffDepartments, memberHash, MemberDiff, type StoredDepartment, type StoredMember } from '../../src/directory/diff'
import type { DepartmentRecord, MemberRecord } from '../../src/directory/member-store'

const dep = (id: number, extra: Partial<DepartmentRecord> = {}): DepartmentRecord => ({ id, name: `部门${id}`, parentId: id === 1 ? undefined : 1, order: 0, leaders: [], ...extra })
const member = (userid: string, extra: Partial<MemberRecord> = {}): MemberRecord => ({ userid, name: userid, position: '', departments: [{ departmentId: 1, order: 0, isLeader: false }], status: 1, directLeaders: [], ...extra })
const stored = (m: MemberRecord, extra: Partial<StoredMember> = {}): [string, StoredMember] => [m.userid.toLowerCase(), { userid: m.userid, hash: memberHash(m), status: m.status, ...extra }]

describe('diffDepartments', () => {
  const before = new Map<number, StoredDepartment>([
    [1, dep(1)],
    [2, dep(2)],
    [3, dep(3)],
    [4, { ...dep(4), removedAt: new Date(0) }],
  ])

  it('finds nothing to write when WeCom says what is stored', () => {
    expect(diffDepartments(before, [dep(1), dep(2), dep(3)])).toEqual({ created: [], updated: [], removed: [] })
  })

  it('creates the new, updates the changed (name, English name, parent, order, leaders), removes the unseen once', () => {
    const d = diffDepartments(before, [dep(1, { leaders: ['lisi'] }), dep(2, { parentId: 3 }), dep(5)])
    expect(d.created.map((x) => x.id)).toEqual([5])
    expect(d.updated.map((x) => x.id)).toEqual([1, 2])
    // 4 is removed already: not again.
    expect(d.removed).toEqual([3])
    for (const change of [{ name: '新名' }, { nameEn: 'New' }, { order: 9 }]) {
      expect(diffDepartments(before, [dep(1, change), dep(2), dep(3)]).updated.map((x) => x.id)).toEqual([1])
    }
  })

  it('brings back a removed department that WeCom lists again, and the forced run rewrites every one seen', () => {
    expect(diffDepartments(before, [dep(1), dep(2), dep(3), dep(4)]).updated.map((x) => x.id)).toEqual([4])
    expect(diffDepartments(before, [dep(1), dep(2), dep(3)], true).updated.map((x) => x.id)).toEqual([1, 2, 3])
  })
})

describe('MemberDiff', () => {
  const zhang = member('ZhangSan')
  const li = member('lisi')
  const wang = member('wangwu')

  it('keeps only the new, the changed and the returning, comparing a member once across pages', () => {
    const diff = new MemberDiff(new Map([stored(zhang), stored(li), stored(wang, { disabledAt: new Date(0) })]))
    const renamed = { ...li, name: '李四' }
    expect(diff.changed([zhang, renamed]).map((m) => m.userid)).toEqual(['lisi'])
    // Listed again under another department, in another case: already compared.
    expect(diff.changed([member('zhangsan'), renamed, wang, member('zhaoliu')]).map((m) => m.userid)).toEqual(['wangwu', 'zhaoliu'])
    expect([diff.created, diff.updated, diff.membersSeen]).toEqual([1, 2, 4])
  })

  it('notices a change in any field WeCom sends', () => {
    const changes: Partial<MemberRecord>[] = [
      { alias: 'a' },
      { position: 'p' },
      { avatar: 'https://x' },
      { departments: [{ departmentId: 1, order: 1, isLeader: false }] },
      { departments: [{ departmentId: 1, order: 0, isLeader: true }] },
      { mainDepartment: 2 },
      { gender: 1 },
      { mobile: '1' },
      { telephone: '1' },
      { email: 'e' },
      { bizMail: 'b' },
      { directLeaders: ['lisi'] },
    ]
    for (const c of changes) expect(new MemberDiff(new Map([stored(zhang)])).changed([{ ...zhang, ...c }]), JSON.stringify(c)).toHaveLength(1)
  })

  it('marks an existing member written with another status as leaving, a new one not', () => {
    const diff = new MemberDiff(new Map([stored(zhang)]))
    diff.changed([{ ...zhang, status: 2 }, member('newbie', { status: 4 })])
    expect(diff.leavers).toEqual(['ZhangSan'])
  })

  it('in a forced run writes everyone it sees, changed or not', () => {
    const diff = new MemberDiff(new Map([stored(zhang), stored(li)]), true)
    expect(diff.changed([zhang, li]).map((m) => m.userid)).toEqual(['ZhangSan', 'lisi'])
  })
})
