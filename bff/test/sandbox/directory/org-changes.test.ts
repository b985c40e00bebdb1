import { describe, expect, it } from 'vitest'
import { adminJson, allListIdRows, contactToken } from './helpers'
import { setup, type Json } from '../helpers'

const USERS = '/sandbox/admin/org/users'
const DEPTS = '/sandbox/admin/org/departments'

describe('sandbox org admin API: members', () => {
  it('refuses bad members with WeCom’s errcodes', async () => {
    const t = setup()
    const cases: [unknown, number, number][] = [
      [{ userid: '-bad', name: '甲', department: [3] }, 400, 40003],
      [{ userid: 'x'.repeat(65), name: '甲', department: [3] }, 400, 40003],
      [{ userid: 'ZhangSan', name: '甲', department: [3] }, 409, 60102],
      [{ userid: 'jia', name: '', department: [3] }, 400, 60112],
      [{ userid: 'jia', name: '甲', department: [] }, 400, 41019],
      [{ userid: 'jia', name: '甲', department: [424242] }, 400, 60003],
      [{ userid: 'jia', name: '甲', department: [3, 3] }, 400, 40058],
      [{ userid: 'jia', name: '甲', department: [3], main_department: 4 }, 400, 40058],
      [{ userid: 'jia', name: '甲', department: [3, 4], is_leader_in_dept: [1] }, 400, 60132],
      [{ userid: 'jia', name: '甲', department: [3], direct_leader: ['ghost'] }, 400, 60111],
      [{ userid: 'jia', name: '甲', department: [3], status: 5 }, 400, 40058],
      [{ userid: 'jia', name: '甲', department: [3], unknown: 1 }, 400, 40058],
    ]
    for (const [body, status, errcode] of cases) {
      const res = await adminJson(t, 'POST', USERS, body)
      expect([res.status, res.body.errcode], JSON.stringify(body)).toEqual([status, errcode])
    }
    expect(await adminJson(t, 'PATCH', `${USERS}/ghost`, { name: '鬼' })).toMatchObject({ status: 404, body: { errcode: 60111 } })
    expect(await adminJson(t, 'PATCH', `${USERS}/lisi`, { new_userid: 'zhangsan' })).toMatchObject({ status: 409, body: { errcode: 60102 } })
    expect(await adminJson(t, 'PATCH', `${USERS}/lisi`, { department: [424242] })).toMatchObject({ status: 400, body: { errcode: 60003 } })
    expect(await adminJson(t, 'DELETE', `${USERS}/ghost`)).toMatchObject({ status: 404, body: { errcode: 60111 } })
    const bad = await t.app.request(USERS, { method: 'POST', body: '{nope' })
    expect(await bad.json()).toMatchObject({ errcode: 40058, errmsg: 'Warning: wrong json format.' })
  })

  it('creates a member: 未激活 by default, listed, leading where is_leader_in_dept says', async () => {
    const t = setup()
    const token = await t.token()
    const res = await adminJson(t, 'POST', USERS, { userid: 'XiaoMing', name: '小明', department: [3, 5], is_leader_in_dept: [0, 1], position: '测试工程师', direct_leader: ['zhangsan'] })
    expect(res).toMatchObject({ status: 200, body: { errcode: 0, callback: null, user: { userid: 'xiaoming', name: '小明', department: [3, 5], main_department: 3, status: 4 } } })
    expect(await t.json(`/cgi-bin/user/get?access_token=${token}&userid=xiaoming`)).toMatchObject({ errcode: 0, position: '测试工程师', direct_leader: ['zhangsan'] })
    const dept5 = await t.json(`/cgi-bin/department/get?access_token=${token}&id=5`)
    expect((dept5.department as Json).department_leader).toContain('xiaoming')
    const members = (await t.json(`/cgi-bin/user/simplelist?access_token=${token}&department_id=3`)).userlist as Json[]
    expect(members.map((m) => m.userid)).toContain('xiaoming')
  })

  it('moves, renames and updates a member; parallel arrays and references follow', async () => {
    const t = setup()
    const token = await t.token()
    const follower = t.state.directory.org.members.find((m) => m.direct_leader.includes('zhangsan'))!
    await adminJson(t, 'PATCH', `${USERS}/lisi`, { department: [4, 3], position: '高级前端工程师' })
    expect(await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`)).toMatchObject({ department: [4, 3], main_department: 3, order: [0, 0], is_leader_in_dept: [0, 0], position: '高级前端工程师' })
    const in4 = (await t.json(`/cgi-bin/user/simplelist?access_token=${token}&department_id=4`)).userlist as Json[]
    expect(in4.map((m) => m.userid)).toContain('lisi')
    const renamed = await adminJson(t, 'PATCH', `${USERS}/zhangsan`, { new_userid: 'ZhangSan2' })
    expect(renamed.body).toMatchObject({ errcode: 0, user: { userid: 'zhangsan2' } })
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=zhangsan`)).errcode).toBe(60111)
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=${follower.userid}`)).direct_leader).toEqual(['zhangsan2'])
    expect(((await t.json(`/cgi-bin/department/get?access_token=${token}&id=2`)).department as Json).department_leader).toContain('zhangsan2')
  })

  it('treats status 5 as leaving the directory: unlisted, while user/get still answers status 5', async () => {
    const t = setup()
    const token = await t.token()
    await adminJson(t, 'PATCH', `${USERS}/lisi`, { status: 5 })
    const in3 = (await t.json(`/cgi-bin/user/simplelist?access_token=${token}&department_id=3`)).userlist as Json[]
    expect(in3.map((m) => m.userid)).not.toContain('lisi')
    expect((await allListIdRows(t, await contactToken(t), 1000)).rows.some((r) => r.userid === 'lisi')).toBe(false)
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`)).status).toBe(5)
  })

  it('deletes a member everywhere, including as someone’s direct leader; reset brings the org back', async () => {
    const t = setup()
    const token = await t.token()
    const follower = t.state.directory.org.members.find((m) => m.direct_leader.includes('zhangsan'))!
    expect(await adminJson(t, 'DELETE', `${USERS}/zhangsan`)).toMatchObject({ status: 200, body: { errcode: 0, userid: 'zhangsan', callback: null } })
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=zhangsan`)).errcode).toBe(60111)
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=${follower.userid}`)).direct_leader).toEqual([])
    await t.send('POST', '/sandbox/admin/reset')
    expect((await t.json(`/cgi-bin/user/get?access_token=${await t.token()}&userid=zhangsan`)).errcode).toBe(0)
  })
})

describe('sandbox org admin API: departments', () => {
  it('refuses bad departments with WeCom’s errcodes', async () => {
    const t = setup()
    const cases: [string, string, unknown, number, number][] = [
      ['POST', DEPTS, { name: '新部门', parentid: 424242 }, 400, 60004],
      ['POST', DEPTS, { name: '前端组', parentid: 2 }, 409, 60008],
      ['POST', DEPTS, { name: '新部门', parentid: 2, id: 3 }, 409, 60008],
      ['POST', DEPTS, { name: 'a:b', parentid: 2 }, 400, 60009],
      ['POST', DEPTS, { name: '', parentid: 2 }, 400, 60001],
      ['POST', DEPTS, { name: '长'.repeat(33), parentid: 2 }, 400, 60001],
      ['PATCH', `${DEPTS}/424242`, { name: 'x' }, 404, 60003],
      ['PATCH', `${DEPTS}/2`, { parentid: 3 }, 400, 60010],
      ['PATCH', `${DEPTS}/2`, { parentid: 2 }, 400, 60010],
      ['PATCH', `${DEPTS}/1`, { parentid: 2 }, 400, 40058],
      ['PATCH', `${DEPTS}/3`, { name: '后端组' }, 409, 60008],
      ['PATCH', `${DEPTS}/3`, { parentid: 424242 }, 400, 60004],
      ['DELETE', `${DEPTS}/1`, undefined, 409, 60007],
      ['DELETE', `${DEPTS}/2`, undefined, 409, 60006],
      // 上海销售组 is a leaf; 王五 (quit) still sits in it, and counts.
      ['DELETE', `${DEPTS}/12`, undefined, 409, 60005],
      ['DELETE', `${DEPTS}/424242`, undefined, 404, 60003],
      ['DELETE', `${DEPTS}/abc`, undefined, 404, 60003],
    ]
    for (const [method, path, body, status, errcode] of cases) {
      const res = await adminJson(t, method, path, body)
      expect([res.status, res.body.errcode], `${method} ${path} ${JSON.stringify(body)}`).toEqual([status, errcode])
    }
  })

  it('creates, renames, moves and deletes a department', async () => {
    const t = setup()
    const token = await t.token()
    const created = await adminJson(t, 'POST', DEPTS, { name: '平台工程部', name_en: 'Platform', parentid: 2, order: 5 })
    const id = (created.body.department as Json).id as number
    expect(created.body).toMatchObject({ errcode: 0, callback: null, department: { name: '平台工程部', parentid: 2, order: 5, department_leader: [] } })
    expect(id).toBeGreaterThan(24)
    await adminJson(t, 'PATCH', `${DEPTS}/${id}`, { name: '平台部', parentid: 7 })
    const list = (await t.json(`/cgi-bin/department/list?access_token=${token}&id=7`)).department as Json[]
    expect(list.find((d) => d.id === id)).toMatchObject({ name: '平台部', parentid: 7 })
    await adminJson(t, 'POST', USERS, { userid: 'pingtai', name: '平台', department: [id] })
    expect((await adminJson(t, 'DELETE', `${DEPTS}/${id}`)).body.errcode).toBe(60005)
    await adminJson(t, 'DELETE', `${USERS}/pingtai`)
    expect(await adminJson(t, 'DELETE', `${DEPTS}/${id}`)).toMatchObject({ status: 200, body: { errcode: 0, id } })
    expect((await t.json(`/cgi-bin/department/get?access_token=${token}&id=${id}`)).errcode).toBe(60123)
  })

  it('moves a whole subtree: department/list keeps parents before children', async () => {
    const t = setup()
    const token = await t.token()
    await adminJson(t, 'PATCH', `${DEPTS}/11`, { parentid: 16 })
    const list = (await t.json(`/cgi-bin/department/list?access_token=${token}&id=16`)).department as Json[]
    const ids = list.map((d) => d.id)
    expect(ids).toEqual(expect.arrayContaining([16, 11, 12, 13]))
    expect(ids.indexOf(11)).toBeLessThan(ids.indexOf(12))
    expect(((await t.json(`/cgi-bin/department/list?access_token=${token}&id=10`)).department as Json[]).map((d) => d.id)).not.toContain(12)
  })
})
