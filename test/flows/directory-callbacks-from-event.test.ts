import type { Db } from '@portal/bff/db'
import { memberFromWeCom } from '@portal/bff/directory/from-wecom'
import { getMember } from '@portal/bff/directory/member-store'
import { SANDBOX_DEFAULTS } from '@portal/bff/sandbox'
import { pgliteTestDb, postgresTestDb, TEST_DATABASE_URL } from '@portal/bff/testing/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxAdmin } from '../support/sync'
import { startStack, type Stack } from '../support/stack'

const databases: [string, () => Promise<Db>][] = [['PGlite', pgliteTestDb]]
if (TEST_DATABASE_URL) databases.push(['PostgreSQL', () => postgresTestDb(TEST_DATABASE_URL!)])

/**
 * create_user and update_user applied from what the event says, without reading the member
 * back (user/get), when the event carries the fields the directory keeps; read back when it
 * does not. Either way the stored member is the one WeCom's user/get describes.
 * https://developer.work.weixin.qq.com/document/path/90970
 */
describe.each(databases)('change_contact member events applied from the event itself [%s]', (_name, openDb) => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack({ db: await openDb() })
  })
  afterAll(() => stack?.close())

  const userGets = async () => ((await sandboxAdmin(stack, 'GET', 'stats')) as { calls: Record<string, number> }).calls['/cgi-bin/user/get'] ?? 0
  const change = async (method: string, path: string, body?: unknown) => {
    await sandboxAdmin(stack, method, `org/${path}`, body)
    await stack.deps.callbacks.worker.drain()
  }
  /** The member as stored, and as WeCom's user/get describes it now (read by the test, after the counting). */
  async function storedAndWeCom(userid: string) {
    const stored = await getMember(stack.deps.db, userid)
    const fromWeCom = memberFromWeCom(await stack.deps.wecom.getUser(userid))
    return { stored: { ...stored, disabledAt: undefined }, fromWeCom }
  }
  const raw = async (changeType: string, fields: string, createTime = Math.floor(Date.now() / 1000)) => {
    const plaintext =
      `<xml><ToUserName><![CDATA[${SANDBOX_DEFAULTS.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
      `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
      `<Event><![CDATA[change_contact]]></Event><ChangeType>${changeType}</ChangeType>${fields}</xml>`
    await sandboxAdmin(stack, 'POST', 'callbacks/raw', { plaintext })
    await stack.deps.callbacks.worker.drain()
  }

  // ---- failure paths first: events that do not say enough are read back ----------------------

  it('a create_user with only UserID and Department (as WeCom sends some apps since 2022-08) is read back', async () => {
    await change('POST', 'users', { userid: 'sparse', name: '少字段', department: [2], position: '顾问' })
    await stack.deps.db.query(`update members set name = 'stale', position = 'stale' where userid = 'sparse'`)
    const reads = await userGets()
    await raw('create_user', '<UserID><![CDATA[sparse]]></UserID><Department><![CDATA[2]]></Department>')
    expect(await userGets()).toBe(reads + 1)
    const { stored, fromWeCom } = await storedAndWeCom('sparse')
    expect(stored).toEqual(fromWeCom)
    expect(stored).toMatchObject({ name: '少字段', position: '顾问' })
  })

  it('an update_user that moves a member to other departments is read back (the event has no order in them)', async () => {
    await change('POST', 'users', { userid: 'mover', name: '调岗', department: [2], position: '工程师' })
    const reads = await userGets()
    await change('PATCH', 'users/mover', { department: [3, 2], order: [5, 7] })
    expect(await userGets()).toBe(reads + 1)
    const { stored, fromWeCom } = await storedAndWeCom('mover')
    expect(stored).toEqual(fromWeCom)
    expect(stored.departments!.map((d) => [d.departmentId, d.order])).toEqual([[3, 5], [2, 7]])
  })

  it('an update_user for a member the directory does not hold is read back', async () => {
    await change('POST', 'users', { userid: 'unknown', name: '未收录', department: [2] })
    await stack.deps.db.query(`delete from members where userid = 'unknown'`)
    const reads = await userGets()
    await change('PATCH', 'users/unknown', { position: '补录' })
    expect(await userGets()).toBe(reads + 1)
    expect((await storedAndWeCom('unknown')).stored).toMatchObject({ name: '未收录', position: '补录' })
  })

  it('the same edit again after another within one second (A, B, A: the same plaintext twice) ends as WeCom has it, not as B', async () => {
    // WeCom stamps events to the second, so the third event is byte for byte the first: the
    // inbox cannot tell it from a retry and queues a read of the member instead of dropping it.
    await change('POST', 'users', { userid: 'flipper', name: '来回', department: [2], position: '甲岗' })
    const at = Math.floor(Date.now() / 1000)
    const position = (p: string) => raw('update_user', `<UserID><![CDATA[flipper]]></UserID><Position><![CDATA[${p}]]></Position>`, at)
    await position('甲岗')
    await position('乙岗')
    expect((await getMember(stack.deps.db, 'flipper'))!.position).toBe('乙岗')
    const reads = await userGets()
    await position('甲岗')
    expect(await userGets()).toBe(reads + 1)
    const { stored, fromWeCom } = await storedAndWeCom('flipper')
    expect(stored).toEqual(fromWeCom)
    expect(stored.position).toBe('甲岗')
  })

  // ---- applied from the event ---------------------------------------------------------------------

  it('create_user stores the member as the event describes it, with no user/get, the same as a read would', async () => {
    const reads = await userGets()
    await change('POST', 'users', { userid: 'hired', name: '新同事', alias: 'Newbie', department: [2, 3], is_leader_in_dept: [0, 1], main_department: 3, position: '架构师', telephone: '020-1234', direct_leader: ['zhangsan'] })
    expect(await userGets()).toBe(reads)
    const { stored, fromWeCom } = await storedAndWeCom('hired')
    expect(stored).toEqual(fromWeCom)
    expect(stored).toMatchObject({ name: '新同事', alias: 'Newbie', mainDepartment: 3, position: '架构师', telephone: '020-1234', directLeaders: ['zhangsan'], status: 4 })
  })

  it('update_user lays the changed fields over the stored member, with no user/get', async () => {
    const reads = await userGets()
    await change('PATCH', 'users/hired', { name: '老同事', position: '首席架构师', is_leader_in_dept: [1, 1], alias: '' })
    await change('PATCH', 'users/hired', { status: 1 })
    expect(await userGets()).toBe(reads)
    const { stored, fromWeCom } = await storedAndWeCom('hired')
    expect(stored).toEqual(fromWeCom)
    expect(stored).toMatchObject({ name: '老同事', position: '首席架构师', status: 1 })
    expect(stored.alias).toBeUndefined()
    expect(stored.departments!.map((d) => d.isLeader)).toEqual([true, true])
  })
})
