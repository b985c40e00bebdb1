import { describe, expect, it } from 'vitest'
import { hintPattern, setup } from '../helpers'

describe('sandbox user/get and department/get', () => {
  it('answers 41009 without a userid and 60111 for an unknown one', async () => {
    const t = setup()
    const token = await t.token()
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}`)).errcode).toBe(41009)
    const body = await t.json(`/cgi-bin/user/get?access_token=${token}&userid=nobody`)
    expect(body.errcode).toBe(60111)
    expect(body.errmsg).toMatch(/^userid not found/)
    expect(body.errmsg).toMatch(hintPattern(60111))
  })

  it('answers 40058 for a missing or malformed department id and 60123 for an unknown one', async () => {
    const t = setup()
    const token = await t.token()
    expect((await t.json(`/cgi-bin/department/get?access_token=${token}`)).errcode).toBe(40058)
    expect((await t.json(`/cgi-bin/department/get?access_token=${token}&id=abc`)).errcode).toBe(40058)
    const body = await t.json(`/cgi-bin/department/get?access_token=${token}&id=99999`)
    expect(body.errcode).toBe(60123)
    expect(body.errmsg).toMatch(/^invalid party id/)
  })

  it('returns a pre-2022 member with mobile, email, gender and avatar', async () => {
    const t = setup()
    const body = await t.json(`/cgi-bin/user/get?access_token=${await t.token()}&userid=zhangsan`)
    expect(body).toMatchObject({
      errcode: 0,
      errmsg: 'ok',
      userid: 'zhangsan',
      name: '张三',
      department: [2],
      order: [expect.any(Number)],
      position: '技术总监',
      is_leader_in_dept: [1],
      direct_leader: [expect.any(String)],
      main_department: 2,
      status: 1,
      alias: expect.any(String),
      telephone: expect.any(String),
      mobile: expect.stringMatching(/^1\d{10}$/),
      email: 'zhangsan@xinghe-tech.com',
      gender: '1',
      avatar: 'http://localhost/sandbox/avatar/zhangsan',
    })
  })

  it('omits mobile, email, gender and avatar for post-2022 members such as lisi', async () => {
    const t = setup()
    const body = await t.json(`/cgi-bin/user/get?access_token=${await t.token()}&userid=LiSi`)
    expect(body.userid).toBe('lisi')
    for (const field of ['mobile', 'email', 'gender', 'avatar', 'thumb_avatar']) expect(body).not.toHaveProperty(field)
  })

  it('reports the documented statuses: wangwu 5, zhaoliu 2, sunqi 4', async () => {
    const t = setup()
    const token = await t.token()
    const status = async (userid: string) => (await t.json(`/cgi-bin/user/get?access_token=${token}&userid=${userid}`)).status
    expect([await status('wangwu'), await status('zhaoliu'), await status('sunqi')]).toEqual([5, 2, 4])
  })

  it('shows a member in two departments with parallel arrays', async () => {
    const t = setup()
    const body = await t.json(`/cgi-bin/user/get?access_token=${await t.token()}&userid=zhouba`)
    expect(body).toMatchObject({ department: [7, 2], is_leader_in_dept: [1, 0], main_department: 7 })
    expect((body.order as number[]).length).toBe(2)
  })

  it('returns a department with the documented fields', async () => {
    const t = setup()
    const token = await t.token()
    expect(await t.json(`/cgi-bin/department/get?access_token=${token}&id=1`)).toEqual({
      errcode: 0,
      errmsg: 'ok',
      department: { id: 1, name: '星河科技有限公司', name_en: expect.any(String), department_leader: [expect.any(String)], parentid: 0, order: expect.any(Number) },
    })
    expect(await t.json(`/cgi-bin/department/get?access_token=${token}&id=2`)).toMatchObject({ department: { name: '研发中心', parentid: 1, department_leader: ['zhangsan'] } })
  })

  it('serves avatars itself (the machine is offline)', async () => {
    const t = setup()
    const res = await t.get('/sandbox/avatar/zhangsan')
    expect(res.headers.get('content-type')).toBe('image/svg+xml')
    expect(await res.text()).toContain('张三')
    expect((await t.get('/sandbox/avatar/ghost')).status).toBe(404)
  })

  it('changes a member’s status through the admin API, and reset restores it', async () => {
    const t = setup()
    const token = await t.token()
    expect((await t.send('POST', '/sandbox/admin/members/ghost', { status: 5 })).status).toBe(404)
    expect((await t.send('POST', '/sandbox/admin/members/lisi', { status: 3 })).status).toBe(400)
    expect(await (await t.send('POST', '/sandbox/admin/members/lisi', { status: 5 })).json()).toMatchObject({ userid: 'lisi', status: 5 })
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`)).status).toBe(5)
    expect(t.sandbox.demoUsers().find((u) => u.userid === 'lisi')?.status).toBe(5)
    await t.send('POST', '/sandbox/admin/reset')
    expect((await t.json(`/cgi-bin/user/get?access_token=${await t.token()}&userid=lisi`)).status).toBe(1)
  })
})
