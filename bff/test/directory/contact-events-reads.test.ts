import { afterEach, beforeEach, expect, it } from 'vitest'
import { PrincipalCache } from '../../src/auth/principal-cache'
import type { Db } from '../../src/db'
import { contactChangeHandler } from '../../src/directory/contact-events'
import { getMembers } from '../../src/directory/member-store'
import { DirectoryReadModel } from '../../src/directory/read-model'
import { createLogger } from '../../src/log'
import type { ApiLimiter } from '../../src/rate/api-limiter'
import type { WeComClient } from '../../src/wecom'
import { describeEachDb } from '../helpers/test-db'

const limiter: ApiLimiter = { take: async () => {}, settled: async () => {} }

describeEachDb('change_contact re-reads', (open) => {
  let db: Db
  beforeEach(async () => {
    db = await open()
  })
  afterEach(() => db.close())

  const handler = (wecom: Partial<WeComClient>) =>
    contactChangeHandler({ db, wecom: wecom as WeComClient, log: createLogger({ level: 'error' }), now: Date.now, principals: new PrincipalCache(), readModel: new DirectoryReadModel(db, Date.now), apiLimiter: limiter })

  it('a member moved several times in one batch is read once, and stored as that read says (the latest state); every event counts as applied', async () => {
    const reads: string[] = []
    let position = 'v1'
    const apply = handler({
      // WeCom's answer is the member as they are now: after the last of the moves.
      getUser: async (userid: string) => (reads.push(userid), { userid, name: '王芳', department: [3], main_department: 3, status: 1, position }) as never,
    })
    position = 'after the third move'
    const moves = [1, 2, 3].map((d) => ({ changeType: 'update_user', fields: { UserID: 'mover', Department: String(d) } }))
    expect(await apply([{ changeType: 'create_user', fields: { UserID: 'Mover' } }, ...moves])).toEqual([undefined, undefined, undefined, undefined])
    // One read, with the spelling of the member's last event.
    expect(reads).toEqual(['mover'])
    const stored = (await getMembers(db, ['mover'])).get('mover')
    expect(stored).toMatchObject({ position: 'after the third move', mainDepartment: 3, departments: [{ departmentId: 3 }] })
  })

  it('a failed read fails only the events of that member; a later delete of another member in the batch still applies', async () => {
    const apply = handler({
      getUser: async (userid: string) => {
        if (userid === 'broken') throw new Error('WeCom unreachable')
        return { userid, name: userid, department: [1], main_department: 1, status: 1 } as never
      },
    })
    const out = await apply([
      { changeType: 'update_user', fields: { UserID: 'broken', Department: '2' } },
      { changeType: 'update_user', fields: { UserID: 'fine', Department: '2' } },
      { changeType: 'update_user', fields: { UserID: 'broken', Position: 'x' } },
    ])
    expect(out.map((e) => (e instanceof Error ? e.message : e))).toEqual(['WeCom unreachable', undefined, 'WeCom unreachable'])
    expect([...(await getMembers(db, ['broken', 'fine'])).keys()]).toEqual(['fine'])
  })

  it('department reads do not wait for the member reads of the batch (one pool for both)', async () => {
    let releaseMember!: () => void
    const memberHeld = new Promise<void>((r) => (releaseMember = r))
    const started: string[] = []
    let departmentRead!: () => void
    const departmentStarted = new Promise<void>((r) => (departmentRead = r))
    const apply = handler({
      getUser: async (userid: string) => {
        started.push(`user ${userid}`)
        await memberHeld
        return { userid, name: userid, department: [1], main_department: 1, status: 1 } as never
      },
      getDepartment: async (id: number) => {
        started.push(`party ${id}`)
        departmentRead()
        return { id, name: `部门${id}`, parentid: 0, order: 1 } as never
      },
    })
    const done = apply([
      { changeType: 'update_user', fields: { UserID: 'slow', Department: '9' } },
      { changeType: 'update_party', fields: { Id: '9', Name: '新名字' } },
    ])
    // The member's read is still held, yet the department's has started.
    await departmentStarted
    expect(started).toEqual(['user slow', 'party 9'])
    releaseMember()
    expect(await done).toEqual([undefined, undefined])
  })
})
