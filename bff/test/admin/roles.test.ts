import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { listAudit } from '../../src/admin/audit'
import { grantRole, revokeRole, rolesView } from '../../src/admin/role-grants'
import { adminContacts, listAdmins, rolesFor } from '../../src/auth/roles'
import type { Config } from '../../src/config'
import type { Db } from '../../src/db'
import { getMember } from '../../src/directory/member-store'
import { ApiFailure } from '../../src/errors'
import { describeEachDb } from '../helpers/test-db'

const NOW = new Date(Date.UTC(2026, 10, 21, 8))
type Roles = Config['roles']
const explicit = (adminUserids: string[] = []): Roles => ({ adminUserids, policy: 'explicit' })

/**
 *   1 公司
 *   ├─ 2 研发中心 ─ 3 前端组
 *   └─ 4 销售部
 *   5 ⇄ 6 (a broken parent cycle, as bad data could hold)
 */
async function seed(db: Db): Promise<void> {
  await db.query(`insert into departments (id, name, parent_id) values
    (1, '公司', 0), (2, '研发中心', 1), (3, '前端组', 2), (4, '销售部', 1), (5, '环甲', 6), (6, '环乙', 5)`)
  await db.query("insert into departments (id, name, parent_id, removed_at) values (7, '已撤销', 1, now())")
  const people: [string, string, number, number, boolean][] = [
    ['ann', '安', 3, 1, false],
    ['bob', '鲍', 4, 1, false],
    ['cat', '曹', 2, 1, true],
    ['dan', '邓', 3, 5, false],
    ['eve', '伊', 5, 1, false],
  ]
  for (const [userid, name, dep, status, leader] of people) {
    await db.query('insert into members (userid, name, status, department_ids, main_department) values ($1, $2, $3, $4, $5)', [userid, name, status, [dep], dep])
    await db.query('insert into member_departments (userid, department_id, is_leader) values ($1, $2, $3)', [userid, dep, leader])
  }
}

const member = async (db: Db, userid: string) => (await getMember(db, userid))!

async function failure(p: Promise<unknown>): Promise<ApiFailure> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(ApiFailure)
  return e as ApiFailure
}

describeEachDb('roles', (open) => {
  let db: Db
  beforeAll(async () => {
    db = await open()
    await seed(db)
  })
  afterAll(() => db.close())
  beforeEach(async () => {
    await db.query('delete from role_grants')
    await db.query('delete from admin_audit')
  })

  it('gives nothing to inactive members, and nothing without a grant under the explicit policy', async () => {
    await db.query("insert into role_grants (kind, target, role, granted_by) values ('member', 'dan', 'admin', 't')")
    expect(await rolesFor(db, explicit(['dan']), await member(db, 'dan'))).toEqual([])
    expect(await rolesFor(db, explicit(), await member(db, 'ann'))).toEqual([])
    expect(await rolesFor(db, { adminUserids: [], policy: 'all-members' }, await member(db, 'ann'))).toEqual(['member'])
  })

  it('inherits a department grant in sub-departments, not in siblings', async () => {
    await db.query("insert into role_grants (kind, target, role, granted_by) values ('department', '2', 'admin', 't'), ('department', '1', 'member', 't')")
    expect(await rolesFor(db, explicit(), await member(db, 'ann'))).toEqual(['admin', 'member'])
    expect(await rolesFor(db, explicit(), await member(db, 'cat'))).toEqual(['admin', 'member'])
    expect(await rolesFor(db, explicit(), await member(db, 'bob'))).toEqual(['member'])
    // A parent cycle must not hang the lookup.
    expect(await rolesFor(db, explicit(), await member(db, 'eve'))).toEqual([])
  })

  it('reads the policy on every call: a live change counts at once', async () => {
    const roles: Roles = { adminUserids: [], policy: 'all-members' }
    const bob = await member(db, 'bob')
    expect(await rolesFor(db, roles, bob)).toEqual(['member'])
    roles.policy = 'explicit'
    expect(await rolesFor(db, roles, bob)).toEqual([])
  })

  it('names admins by env, member grant and department grant (leaders first), skipping inactive ones', async () => {
    expect(await adminContacts(db, explicit())).toEqual([])
    expect(await adminContacts(db, explicit(['dan', 'ghost']))).toEqual(['ghost'])
    await db.query("insert into role_grants (kind, target, role, granted_by) values ('department', '2', 'admin', 't'), ('member', 'bob', 'admin', 't'), ('member', 'dan', 'admin', 't')")
    expect(await adminContacts(db, explicit(['ghost']))).toEqual(['ghost', '鲍', '曹', '安'])
    expect((await listAdmins(db, explicit(), 2)).map((a) => a.userid)).toEqual(['bob', 'cat'])
  })

  it('a grant to the top department: its leaders first, then its people by userid, as many as asked for', async () => {
    await db.query("insert into role_grants (kind, target, role, granted_by) values ('department', '1', 'admin', 't')")
    expect((await listAdmins(db, explicit(), 1)).map((a) => a.userid)).toEqual(['cat'])
    expect((await listAdmins(db, explicit(), 2)).map((a) => a.userid)).toEqual(['cat', 'ann'])
    // dan is inactive; eve is outside (her departments form a cycle of their own).
    expect((await listAdmins(db, explicit(), 5)).map((a) => a.userid)).toEqual(['cat', 'ann', 'bob'])
  })

  it('refuses grants to people and departments the directory does not have', async () => {
    for (const input of [
      { kind: 'member', target: 'nobody', role: 'admin' },
      { kind: 'department', target: '999', role: 'member' },
      { kind: 'department', target: '7', role: 'member' },
      { kind: 'department', target: '2; drop table x', role: 'member' },
    ] as const) {
      const e = await failure(grantRole(db, input, 'ann', NOW))
      expect(e.code, input.target).toBe('bad_request')
      expect(e.extra.fields).toHaveProperty('target')
    }
    expect(await db.query('select 1 from role_grants')).toHaveLength(0)
    expect(await listAudit(db, { limit: 10 })).toHaveLength(0)
  })

  it('grants once however often asked, as the directory spells the userid, with one audit entry', async () => {
    await grantRole(db, { kind: 'member', target: 'BOB', role: 'admin' }, 'ann', NOW)
    await grantRole(db, { kind: 'member', target: 'bob', role: 'admin' }, 'cat', NOW)
    await grantRole(db, { kind: 'department', target: '2', role: 'member' }, 'ann', NOW)
    const view = await rolesView(db, { roles: explicit(['cat']), locked: {} })
    expect(view).toMatchObject({ policy: 'explicit', policyLocked: false })
    expect(view.grants).toEqual([
      { kind: 'member', target: 'cat', targetName: '曹', role: 'admin', grantedBy: 'ADMIN_USERIDS', grantedAt: '', source: 'env' },
      { kind: 'member', target: 'bob', targetName: '鲍', role: 'admin', grantedBy: 'ann', grantedAt: NOW.toISOString(), source: 'stored' },
      { kind: 'department', target: '2', targetName: '研发中心', role: 'member', grantedBy: 'ann', grantedAt: NOW.toISOString(), source: 'stored' },
    ])
    const audit = await listAudit(db, { limit: 10 })
    expect(audit.map((a) => [a.action, a.actor, a.actorName, a.target, a.detail])).toEqual([
      ['grant', 'ann', '安', '研发中心 (department 2)', 'member'],
      ['grant', 'ann', '安', '鲍 (bob)', 'admin'],
    ])
  })

  it('keeps the last admin: a revoke that would leave nobody able to administer is refused and changes nothing', async () => {
    await grantRole(db, { kind: 'member', target: 'bob', role: 'admin' }, 'bob', NOW)
    expect((await failure(revokeRole(db, explicit(), { kind: 'member', target: 'nobody', role: 'admin' }, 'bob', NOW))).code).toBe('not_found')
    const e = await failure(revokeRole(db, explicit(), { kind: 'member', target: 'bob', role: 'admin' }, 'bob', NOW))
    expect(e.code).toBe('conflict')
    expect(e.extra.hint).toMatch(/ADMIN_USERIDS|someone else/)
    expect(await db.query("select 1 from role_grants where target = 'bob'")).toHaveLength(1)
    expect((await listAudit(db, { limit: 10, actions: ['revoke'] })).length).toBe(0)
    // An env admin that has quit does not count; one who has not signed in yet does.
    expect((await failure(revokeRole(db, explicit(['dan']), { kind: 'member', target: 'bob', role: 'admin' }, 'bob', NOW))).code).toBe('conflict')
    await revokeRole(db, explicit(['newcomer']), { kind: 'member', target: 'bob', role: 'admin' }, 'bob', NOW)
    expect(await db.query('select 1 from role_grants')).toHaveLength(0)
  })

  it('lets only one of two simultaneous revocations of the last two admins through', async () => {
    await grantRole(db, { kind: 'member', target: 'bob', role: 'admin' }, 'bob', NOW)
    await grantRole(db, { kind: 'member', target: 'ann', role: 'admin' }, 'bob', NOW)
    // Open pooled connections first (PostgreSQL), so that both transactions really overlap.
    await Promise.all([1, 2, 3].map(() => db.transaction((tx) => tx.query('select 1'))))
    const results = await Promise.allSettled(
      ['bob', 'ann'].map((target) => revokeRole(db, explicit(), { kind: 'member', target, role: 'admin' }, target, NOW)),
    )
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(await db.query("select 1 from role_grants where role = 'admin'")).toHaveLength(1)
  })

  it('lets an admin revoke their own admin while another remains, and logs who did it', async () => {
    await grantRole(db, { kind: 'member', target: 'bob', role: 'admin' }, 'bob', NOW)
    await grantRole(db, { kind: 'department', target: '2', role: 'admin' }, 'bob', NOW)
    await revokeRole(db, explicit(), { kind: 'member', target: 'bob', role: 'admin' }, 'bob', NOW)
    // The department (ann, cat) is now the only admin grant: it stays.
    expect((await failure(revokeRole(db, explicit(), { kind: 'department', target: '2', role: 'admin' }, 'cat', NOW))).code).toBe('conflict')
    const [last] = await listAudit(db, { limit: 1, actions: ['revoke'] })
    expect(last).toMatchObject({ action: 'revoke', actor: 'bob', actorName: '鲍', target: '鲍 (bob)', detail: 'admin' })
  })

  it('lists the audit log newest first, in pages, filtered by action', async () => {
    await grantRole(db, { kind: 'member', target: 'ann', role: 'member' }, 'cat', NOW)
    await grantRole(db, { kind: 'member', target: 'bob', role: 'member' }, 'cat', NOW)
    await revokeRole(db, explicit(), { kind: 'member', target: 'ann', role: 'member' }, 'cat', NOW)
    const all = await listAudit(db, { limit: 10 })
    expect(all.map((a) => `${a.action} ${a.target}`)).toEqual(['revoke 安 (ann)', 'grant 鲍 (bob)', 'grant 安 (ann)'])
    const page2 = await listAudit(db, { limit: 2, before: all[1]!.id })
    expect(page2.map((a) => a.id)).toEqual([all[2]!.id])
    expect((await listAudit(db, { limit: 10, actions: ['grant'] })).map((a) => a.action)).toEqual(['grant', 'grant'])
  })
})
