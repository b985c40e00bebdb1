import { describe, expect, it } from 'vitest'
import { buildDemoOrg } from '../../../src/sandbox/directory/demo-org'
import { generateOrg, type Org } from '../../../src/sandbox/index'

/** Plain checks collected into a list: per-field expect() is far too slow for 100k members. */
function problemsOf(org: Org): string[] {
  const problems: string[] = []
  const depts = new Map(org.departments.map((d) => [d.id, d]))
  if (depts.size !== org.departments.length) problems.push('duplicate department ids')
  const siblings = new Set<string>()
  for (const d of org.departments) {
    if (d.parentid === 0 ? d.id !== 1 : !depts.has(d.parentid)) problems.push(`department ${d.id}: bad parent ${d.parentid}`)
    if (d.depth > 4) problems.push(`department ${d.id}: depth ${d.depth}`)
    const key = `${d.parentid}/${d.name}`
    if (siblings.has(key)) problems.push(`duplicate sibling name ${key}`)
    siblings.add(key)
  }
  const members = new Map(org.members.map((m) => [m.userid, m]))
  if (members.size !== org.members.length) problems.push('duplicate userids')
  for (const m of org.members) {
    if (!/^[a-z0-9][a-z0-9_\-@.]{0,63}$/.test(m.userid)) problems.push(`${m.userid}: bad userid`)
    if (m.department.length === 0) problems.push(`${m.userid}: no department`)
    for (const id of m.department) if (!depts.has(id)) problems.push(`${m.userid}: unknown department ${id}`)
    if (m.order.length !== m.department.length || m.is_leader_in_dept.length !== m.department.length) problems.push(`${m.userid}: arrays not parallel`)
    if (!m.department.includes(m.main_department)) problems.push(`${m.userid}: main_department not in department`)
    if (![1, 2, 4, 5].includes(m.status)) problems.push(`${m.userid}: status ${m.status}`)
    for (const leader of m.direct_leader) if (!members.has(leader) || leader === m.userid) problems.push(`${m.userid}: bad leader ${leader}`)
  }
  for (const d of org.departments) {
    for (const leader of d.department_leader) if (!members.get(leader)?.department.includes(d.id)) problems.push(`${leader} leads ${d.id} without being in it`)
  }
  return problems
}

describe('sandbox org generator', () => {
  it('rejects impossible sizes', () => {
    expect(() => generateOrg({ departments: 0, members: 10, seed: 1 })).toThrow()
    expect(() => buildDemoOrg({ members: 3 })).toThrow()
  })

  it('builds the demo org: ≥15 departments, ≥200 members, the named people with their statuses', () => {
    const org = buildDemoOrg()
    expect(org.departments.length).toBeGreaterThanOrEqual(15)
    expect(org.members.length).toBeGreaterThanOrEqual(200)
    expect(org.departments[0]).toMatchObject({ id: 1, name: '星河科技有限公司', parentid: 0 })
    const by = new Map(org.members.map((m) => [m.userid, m]))
    expect(by.get('zhangsan')).toMatchObject({ name: '张三', status: 1 })
    expect(by.get('lisi')).toMatchObject({ name: '李四', status: 1 })
    expect(by.get('wangwu')).toMatchObject({ name: '王五', status: 5 })
    expect(org.members.some((m) => m.status === 2)).toBe(true)
    expect(org.members.some((m) => m.status === 4)).toBe(true)
    expect(problemsOf(org)).toEqual([])
  })

  it('looks like a company: Chinese names, leaders, people in two departments, ~1/3 post-2022', () => {
    const org = buildDemoOrg()
    expect(org.members.every((m) => /^[\u4e00-\u9fa5]{2,4}$/.test(m.name))).toBe(true)
    expect(org.members.filter((m) => m.department.length === 2).length).toBeGreaterThan(3)
    expect(org.members.filter((m) => m.direct_leader.length > 0).length).toBeGreaterThan(org.members.length * 0.9)
    const withoutSensitive = org.members.filter((m) => !m.sensitive).length / org.members.length
    expect(withoutSensitive).toBeGreaterThan(0.2)
    expect(withoutSensitive).toBeLessThan(0.45)
    expect(org.departments.filter((d) => d.department_leader.length > 0).length).toBe(org.departments.length)
    expect(Math.max(...org.departments.map((d) => d.depth))).toBeGreaterThanOrEqual(3)
  })

  it('is deterministic for a seed and differs across seeds', () => {
    expect(JSON.stringify(buildDemoOrg())).toBe(JSON.stringify(buildDemoOrg()))
    const a = generateOrg({ departments: 30, members: 300, seed: 1 })
    const b = generateOrg({ departments: 30, members: 300, seed: 2 })
    expect(JSON.stringify(a.members)).not.toBe(JSON.stringify(b.members))
  })

  // How fast is the bench's business (pnpm bench), not a test's on a shared machine.
  it('scales to 5k departments and 100k members with unique userids', () => {
    const org = generateOrg({ departments: 5000, members: 100_000, seed: 42 })
    expect(org.departments).toHaveLength(5000)
    expect(org.members).toHaveLength(100_000)
    expect(problemsOf(org)).toEqual([])
  })
})
