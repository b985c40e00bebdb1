import { afterEach, beforeEach, expect, it } from 'vitest'
import { PrincipalCache } from '../../src/auth/principal-cache'
import type { Db } from '../../src/db'
import { contactChangeHandler } from '../../src/directory/contact-events'
import { DirectoryReadModel } from '../../src/directory/read-model'
import { createLogger } from '../../src/log'
import type { ApiLimiter } from '../../src/rate/api-limiter'
import type { WeComClient } from '../../src/wecom'
import { describeEachDb } from '../helpers/test-db'

describeEachDb('callback re-reads draw from the shared WeCom budget', (open) => {
  let db: Db
  beforeEach(async () => {
    db = await open()
  })
  afterEach(() => db.close())

  it('takes a unit before each re-read, and no read starts while the budget is spent', async () => {
    const events: string[] = []
    let release!: () => void
    const spent = new Promise<void>((r) => (release = r))
    const limiter: ApiLimiter = {
      async take(api) {
        events.push(`take ${api}`)
        await spent
      },
      settled: async () => {},
    }
    // WeCom is the boundary: answers as user/get and department/get do.
    const wecom = {
      getUser: async (userid: string) => (events.push(`read ${userid}`), { userid, name: userid, department: [1], main_department: 1, status: 1 }),
      getDepartment: async (id: number) => (events.push(`read party ${id}`), { id, name: `部门${id}`, parentid: 0, order: 1 }),
    } as unknown as WeComClient
    const apply = contactChangeHandler({ db, wecom, log: createLogger({ level: 'error' }), now: Date.now, principals: new PrincipalCache(), readModel: new DirectoryReadModel(db, Date.now), apiLimiter: limiter })
    const done = apply([
      { changeType: 'update_party', fields: { Id: '1' } },
      { changeType: 'create_user', fields: { UserID: 'u1' } },
      { changeType: 'update_user', fields: { UserID: 'u2' } },
    ])
    await new Promise((r) => setTimeout(r, 50))
    expect(events.filter((e) => e.startsWith('read'))).toEqual([])
    release()
    expect(await done).toEqual([undefined, undefined, undefined])
    expect(events.filter((e) => e.startsWith('take')).sort()).toEqual(['take /cgi-bin/department/get', 'take /cgi-bin/user/get', 'take /cgi-bin/user/get'])
    expect(events.filter((e) => e.startsWith('read')).sort()).toEqual(['read party 1', 'read u1', 'read u2'])
  })
})
