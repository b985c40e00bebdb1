import { afterEach, describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { AES_KEY, CB_TOKEN, correctApp, openEvent, startReceiver, xmlField, xmlTags, type Received } from '../callbacks/helpers'
import { adminJson } from './helpers'
import { setup, type Json } from '../helpers'

const USERS = '/sandbox/admin/org/users'
const DEPTS = '/sandbox/admin/org/departments'
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length) await closers.pop()!()
})

async function withReceiver(opts: Parameters<typeof setup>[0] = {}) {
  const receiver = await startReceiver(correctApp(SANDBOX_DEFAULTS.corpId))
  closers.push(receiver.close)
  const t = setup({ callback: { url: receiver.url, token: CB_TOKEN, encodingAesKey: AES_KEY }, ...opts })
  return { t, receiver }
}

/** Checks envelope, signature, padding and receiveid; returns the decrypted event XML. */
function eventOf(r: Received): string {
  expect(r.method).toBe('POST')
  for (const p of ['msg_signature', 'timestamp', 'nonce']) expect(r.url.searchParams.get(p), p).toBeTruthy()
  expect(r.url.searchParams.get('timestamp')).toMatch(/^\d{10}$/)
  const e = openEvent(r)
  expect(e.signatureOk).toBe(true)
  expect(e.envelope).toEqual({ toUserName: SANDBOX_DEFAULTS.corpId, agentId: SANDBOX_DEFAULTS.agentId, tags: ['ToUserName', 'AgentID', 'Encrypt'] })
  expect(e.receiveId).toBe(SANDBOX_DEFAULTS.corpId)
  expect(e.blockLength % 32).toBe(0)
  const xml = e.msg
  expect(xmlField(xml, 'ToUserName')).toBe(SANDBOX_DEFAULTS.corpId)
  expect(xmlField(xml, 'FromUserName')).toBe('sys')
  expect(xmlField(xml, 'MsgType')).toBe('event')
  expect(xmlField(xml, 'Event')).toBe('change_contact')
  expect(xmlField(xml, 'CreateTime')).toMatch(/^\d{10}$/)
  return xml
}

/** The event fields after the common header. */
function bodyTags(xml: string): string[] {
  return xmlTags(xml).slice(xmlTags(xml).indexOf('ChangeType') + 1)
}

describe('sandbox change_contact callbacks', () => {
  it('rejects a malformed callback config with 400', async () => {
    const t = setup()
    for (const callback of [
      { url: 'ftp://x/y', token: CB_TOKEN, encodingAesKey: AES_KEY },
      { url: 'http://127.0.0.1/cb', token: CB_TOKEN, encodingAesKey: AES_KEY.slice(1) },
      { url: 'http://127.0.0.1/cb', token: 'bad token!', encodingAesKey: AES_KEY },
      { url: 'http://127.0.0.1/cb', token: CB_TOKEN },
    ]) {
      expect((await t.send('POST', '/sandbox/admin/settings', { callback })).status, JSON.stringify(callback)).toBe(400)
    }
  })

  it('sends nothing without a callback, or for changes outside the visible range', async () => {
    const { t, receiver } = await withReceiver({ visibleRange: { departments: [2], users: [] } })
    expect((await adminJson(t, 'POST', USERS, { userid: 'kefu1', name: '客服一', department: [19] })).body.callback).toBeNull()
    expect((await adminJson(t, 'POST', DEPTS, { name: '热线二组', parentid: 19 })).body.callback).toBeNull()
    await t.send('POST', '/sandbox/admin/settings', { callback: null })
    expect((await adminJson(t, 'PATCH', `${USERS}/lisi`, { name: '李四四' })).body.callback).toBeNull()
    expect(receiver.received).toHaveLength(0)
  })

  it('create_user: encrypted, signed, all fields; sensitive ones only for pre-2022 members', async () => {
    const { t, receiver } = await withReceiver()
    const res = await adminJson(t, 'POST', USERS, { userid: 'XiaoHong', name: '小红', department: [3, 4], is_leader_in_dept: [0, 1], position: '前端工程师', direct_leader: ['zhangsan'], alias: 'Hong', status: 1 })
    expect(res.body.callback).toMatchObject({ kind: 'event', changeType: 'create_user', status: 'delivered', attempts: [{ n: 1, httpStatus: 200 }] })
    const xml = eventOf(receiver.received[0]!)
    expect(xmlField(xml, 'ChangeType')).toBe('create_user')
    expect(bodyTags(xml)).toEqual(['UserID', 'Name', 'Department', 'MainDepartment', 'IsLeaderInDept', 'DirectLeader', 'Position', 'Status', 'Alias', 'Telephone'])
    expect({ id: xmlField(xml, 'UserID'), name: xmlField(xml, 'Name'), dept: xmlField(xml, 'Department'), main: xmlField(xml, 'MainDepartment'), leader: xmlField(xml, 'IsLeaderInDept'), dl: xmlField(xml, 'DirectLeader'), status: xmlField(xml, 'Status') }).toEqual({
      id: 'xiaohong', name: '小红', dept: '3,4', main: '3', leader: '0,1', dl: 'zhangsan', status: '1',
    })
    await adminJson(t, 'POST', USERS, { userid: 'laowang', name: '老王', department: [3], sensitive: { mobile: '13900000001', email: 'laowang@xinghe-tech.com', gender: '1' } })
    const legacy = eventOf(receiver.received[1]!)
    expect({ mobile: xmlField(legacy, 'Mobile'), email: xmlField(legacy, 'Email'), gender: xmlField(legacy, 'Gender') }).toEqual({ mobile: '13900000001', email: 'laowang@xinghe-tech.com', gender: '1' })
    expect(xmlField(legacy, 'Avatar')).toMatch(/\/sandbox\/avatar\/laowang$/)
  })

  it('update_user: only what changed, NewUserID on a rename', async () => {
    const { t, receiver } = await withReceiver()
    await adminJson(t, 'PATCH', `${USERS}/lisi`, { position: '前端组长', department: [3, 5] })
    const moved = eventOf(receiver.received[0]!)
    expect(xmlField(moved, 'ChangeType')).toBe('update_user')
    expect(bodyTags(moved)).toEqual(['UserID', 'Department', 'IsLeaderInDept', 'Position'])
    expect([xmlField(moved, 'UserID'), xmlField(moved, 'Department'), xmlField(moved, 'Position')]).toEqual(['lisi', '3,5', '前端组长'])
    await adminJson(t, 'PATCH', `${USERS}/lisi`, { new_userid: 'li.si' })
    const renamed = eventOf(receiver.received[1]!)
    expect(bodyTags(renamed)).toEqual(['UserID', 'NewUserID'])
    expect([xmlField(renamed, 'UserID'), xmlField(renamed, 'NewUserID')]).toEqual(['lisi', 'li.si'])
    expect((await adminJson(t, 'PATCH', `${USERS}/li.si`, { position: '前端组长' })).body.callback).toBeNull()
    expect(receiver.received).toHaveLength(2)
  })

  it('status changes: 2 is an update_user with Status; 5 is a delete_user; back from 5 a create_user', async () => {
    const { t, receiver } = await withReceiver()
    await adminJson(t, 'PATCH', `${USERS}/wujiu`, { status: 2 })
    const disabled = eventOf(receiver.received[0]!)
    expect([xmlField(disabled, 'ChangeType'), bodyTags(disabled), xmlField(disabled, 'Status')]).toEqual(['update_user', ['UserID', 'Status'], '2'])
    await adminJson(t, 'PATCH', `${USERS}/wujiu`, { status: 5 })
    const quit = eventOf(receiver.received[1]!)
    expect([xmlField(quit, 'ChangeType'), bodyTags(quit), xmlField(quit, 'UserID')]).toEqual(['delete_user', ['UserID'], 'wujiu'])
    await adminJson(t, 'PATCH', `${USERS}/wujiu`, { status: 1 })
    expect(xmlField(eventOf(receiver.received[2]!), 'ChangeType')).toBe('create_user')
    // The older admin route goes through the same path.
    await t.send('POST', '/sandbox/admin/members/wujiu', { status: 4 })
    expect(xmlField(eventOf(receiver.received[3]!), 'Status')).toBe('4')
  })

  it('delete_user carries the UserID only', async () => {
    const { t, receiver } = await withReceiver()
    const res = await adminJson(t, 'DELETE', `${USERS}/wujiu`)
    expect(res.body.callback).toMatchObject({ changeType: 'delete_user', status: 'delivered' })
    const xml = eventOf(receiver.received[0]!)
    expect([xmlField(xml, 'ChangeType'), bodyTags(xml), xmlField(xml, 'UserID')]).toEqual(['delete_user', ['UserID'], 'wujiu'])
  })

  it('create_party, update_party (Name/ParentId only) and delete_party', async () => {
    const { t, receiver } = await withReceiver()
    const created = await adminJson(t, 'POST', DEPTS, { name: '安全组', parentid: 2, order: 9 })
    const id = (created.body.department as Json).id as number
    const c = eventOf(receiver.received[0]!)
    expect(xmlField(c, 'ChangeType')).toBe('create_party')
    expect(bodyTags(c)).toEqual(['Id', 'Name', 'ParentId', 'Order'])
    expect([xmlField(c, 'Id'), xmlField(c, 'Name'), xmlField(c, 'ParentId'), xmlField(c, 'Order')]).toEqual([String(id), '安全组', '2', '9'])
    await adminJson(t, 'PATCH', `${DEPTS}/${id}`, { name: '信息安全组' })
    const renamed = eventOf(receiver.received[1]!)
    expect([xmlField(renamed, 'ChangeType'), bodyTags(renamed), xmlField(renamed, 'Name')]).toEqual(['update_party', ['Id', 'Name'], '信息安全组'])
    await adminJson(t, 'PATCH', `${DEPTS}/${id}`, { parentid: 7 })
    const moved = eventOf(receiver.received[2]!)
    expect([bodyTags(moved), xmlField(moved, 'ParentId')]).toEqual([['Id', 'ParentId'], '7'])
    expect((await adminJson(t, 'PATCH', `${DEPTS}/${id}`, { order: 1 })).body.callback).toBeNull()
    await adminJson(t, 'DELETE', `${DEPTS}/${id}`)
    const deleted = eventOf(receiver.received[3]!)
    expect([xmlField(deleted, 'ChangeType'), bodyTags(deleted), xmlField(deleted, 'Id')]).toEqual(['delete_party', ['Id'], String(id)])
    expect(receiver.received).toHaveLength(4)
  })

  it('escapes ]]> inside CDATA so the XML stays well-formed', async () => {
    const { t, receiver } = await withReceiver()
    await adminJson(t, 'PATCH', `${USERS}/lisi`, { position: 'a]]>b' })
    const inner = /<Position>([\s\S]*?)<\/Position>/.exec(eventOf(receiver.received[0]!))![1]!
    expect(inner).toBe('<![CDATA[a]]]]><![CDATA[>b]]>')
    expect(inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')).toBe('a]]>b')
  })

  it('lists deliveries, and reset clears them', async () => {
    const { t } = await withReceiver()
    await adminJson(t, 'PATCH', `${USERS}/lisi`, { position: '组长' })
    const log = await t.json('/sandbox/admin/callbacks')
    expect(log.deliveries).toEqual([
      expect.objectContaining({ id: 'cb1', kind: 'event', changeType: 'update_user', status: 'delivered', plaintext: expect.stringContaining('<ChangeType>update_user</ChangeType>'), attempts: [expect.objectContaining({ n: 1, httpStatus: 200 })] }),
    ])
    await t.send('POST', '/sandbox/admin/reset')
    expect((await t.json('/sandbox/admin/callbacks')).deliveries).toEqual([])
  })
})
