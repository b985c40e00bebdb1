import { describe, expect, it } from 'vitest'
import { contactToken } from './helpers'
import { hintPattern, setup, type Json } from '../helpers'

type Dept = { id: number; name: string; name_en: string; department_leader: string[]; parentid: number; order: number }
type Simple = { userid: string; name: string; department: number[] }

describe('sandbox department/list and department/simplelist', () => {
  it('answers 40058 for a malformed id and 60123 for an unknown one', async () => {
    const t = setup()
    const token = await t.token()
    for (const api of ['list', 'simplelist']) {
      expect((await t.json(`/cgi-bin/department/${api}?access_token=${token}&id=x1`)).errcode).toBe(40058)
      expect((await t.json(`/cgi-bin/department/${api}?access_token=${token}&id=99999`)).errcode).toBe(60123)
    }
  })

  it('answers 48009 to the contact-sync secret for department/list (new IPs, 2022-08-15 rule)', async () => {
    const t = setup()
    const body = await t.json(`/cgi-bin/department/list?access_token=${await contactToken(t)}`)
    expect(body.errcode).toBe(48009)
    expect(body.errmsg).toMatch(hintPattern(48009))
  })

  it('lists every department without id, parents before children, with the documented fields', async () => {
    const t = setup()
    const body = await t.json(`/cgi-bin/department/list?access_token=${await t.token()}`)
    const list = body.department as Dept[]
    expect(list).toHaveLength(t.state.directory.org.departments.length)
    expect(list[0]).toEqual({ id: 1, name: '星河科技有限公司', name_en: expect.any(String), department_leader: expect.any(Array), parentid: 0, order: expect.any(Number) })
    const position = new Map(list.map((d, i) => [d.id, i]))
    for (const d of list) if (d.parentid !== 0) expect(position.get(d.parentid)!).toBeLessThan(position.get(d.id)!)
  })

  it('lists a subtree with id, and simplelist carries only id, parentid and order', async () => {
    const t = setup()
    const token = await t.token()
    const list = (await t.json(`/cgi-bin/department/list?access_token=${token}&id=10`)).department as Dept[]
    expect(list.map((d) => d.id)).toEqual(expect.arrayContaining([10, 11, 12, 13, 14, 15]))
    expect(list[0]!.id).toBe(10)
    const simple = (await t.json(`/cgi-bin/department/simplelist?access_token=${token}&id=10`)).department_id as object[]
    expect(simple).toEqual(list.map((d) => ({ id: d.id, parentid: d.parentid, order: d.order })))
  })

  it('orders siblings by order, larger first', async () => {
    const t = setup()
    const list = (await t.json(`/cgi-bin/department/list?access_token=${await t.token()}&id=2`)).department as Dept[]
    const kids = list.filter((d) => d.parentid === 2).map((d) => d.order)
    expect(kids).toEqual([...kids].sort((a, b) => b - a))
  })
})

describe('sandbox user/simplelist and user/list', () => {
  it('answers 40058 without department_id, 60123 for an unknown one', async () => {
    const t = setup()
    const token = await t.token()
    for (const api of ['simplelist', 'list']) {
      expect((await t.json(`/cgi-bin/user/${api}?access_token=${token}`)).errcode).toBe(40058)
      expect((await t.json(`/cgi-bin/user/${api}?access_token=${token}&department_id=abc`)).errcode).toBe(40058)
      expect((await t.json(`/cgi-bin/user/${api}?access_token=${token}&department_id=99999`)).errcode).toBe(60123)
    }
  })

  it('answers 48009 to the contact-sync secret for member details', async () => {
    const t = setup()
    const token = await contactToken(t)
    for (const path of ['/cgi-bin/user/get?userid=lisi', '/cgi-bin/user/simplelist?department_id=1', '/cgi-bin/user/list?department_id=1']) {
      expect((await t.json(`${path}&access_token=${token}`)).errcode, path).toBe(48009)
    }
  })

  it('answers 45029 when user/list would carry more than maxListResponse members', async () => {
    const t = setup({ maxListResponse: 10 })
    const token = await t.token()
    const body = await t.json(`/cgi-bin/user/list?access_token=${token}&department_id=1&fetch_child=1`)
    expect(body.errcode).toBe(45029)
    expect(body.errmsg).toMatch(hintPattern(45029))
    // Per department, as the doc advises, and simplelist for the big one, still work.
    const small = t.state.directory.org.departments.find((d) => {
      const n = t.state.directory.org.members.filter((m) => m.status !== 5 && m.department.includes(d.id)).length
      return n > 0 && n <= 10
    })!
    expect((await t.json(`/cgi-bin/user/list?access_token=${token}&department_id=${small.id}`)).errcode).toBe(0)
    expect(((await t.json(`/cgi-bin/user/simplelist?access_token=${token}&department_id=1&fetch_child=1`)).userlist as unknown[]).length).toBeGreaterThan(10)
  })

  it('follows maxListResponse from the admin API', async () => {
    const t = setup()
    const token = await t.token()
    expect((await t.json(`/cgi-bin/user/list?access_token=${token}&department_id=1&fetch_child=1`)).errcode).toBe(0)
    expect((await t.send('POST', '/sandbox/admin/settings', { maxListResponse: 0 })).status).toBe(400)
    await t.send('POST', '/sandbox/admin/settings', { maxListResponse: 5 })
    expect((await t.json(`/cgi-bin/user/list?access_token=${token}&department_id=1&fetch_child=1`)).errcode).toBe(45029)
  })

  it('lists direct members only, disabled and unactivated ones included, quit ones not', async () => {
    const t = setup()
    const token = await t.token()
    const ids = async (dept: number) => ((await t.json(`/cgi-bin/user/simplelist?access_token=${token}&department_id=${dept}`)).userlist as Simple[]).map((u) => u.userid)
    expect(await ids(3)).toContain('lisi')
    expect(await ids(2)).not.toContain('lisi')
    expect(await ids(17)).toContain('zhaoliu')
    expect(await ids(18)).toContain('sunqi')
    expect(await ids(12)).not.toContain('wangwu')
  })

  it('walks the subtree with fetch_child=1, each member once', async () => {
    const t = setup()
    const list = (await t.json(`/cgi-bin/user/simplelist?access_token=${await t.token()}&department_id=2&fetch_child=1`)).userlist as Simple[]
    const ids = list.map((u) => u.userid)
    expect(ids).toEqual(expect.arrayContaining(['zhangsan', 'lisi', 'zhouba']))
    expect(new Set(ids).size).toBe(ids.length)
    expect(list.find((u) => u.userid === 'zhouba')).toEqual({ userid: 'zhouba', name: '周八', department: [7, 2] })
  })

  it('returns members in user/list exactly as user/get shows them', async () => {
    const t = setup()
    const token = await t.token()
    const list = (await t.json(`/cgi-bin/user/list?access_token=${token}&department_id=2`)).userlist as Json[]
    for (const userid of ['zhangsan', 'zhouba']) {
      const { errcode: _e, errmsg: _m, ...single } = await t.json(`/cgi-bin/user/get?access_token=${token}&userid=${userid}`)
      expect(list.find((u) => u.userid === userid)).toEqual(single)
    }
    const lisi = ((await t.json(`/cgi-bin/user/list?access_token=${token}&department_id=3`)).userlist as Json[]).find((u) => u.userid === 'lisi')!
    for (const field of ['mobile', 'email', 'gender', 'avatar']) expect(lisi).not.toHaveProperty(field)
  })

  it('still lists completely when faults hit user/list mid-way (times, then probability)', async () => {
    const t = setup()
    const token = await t.token()
    const depts = ((await t.json(`/cgi-bin/department/simplelist?access_token=${token}`)).department_id as { id: number }[]).map((d) => d.id)
    const readAll = async () => {
      const seen = new Set<string>()
      let failures = 0
      for (const id of depts) {
        for (;;) {
          const res = await t.get(`/cgi-bin/user/list?access_token=${token}&department_id=${id}`)
          const body = res.headers.get('content-type')?.includes('json') ? ((await res.json()) as Json) : undefined
          if (body?.errcode === 0) {
            for (const u of body.userlist as Json[]) seen.add(u.userid as string)
            break
          }
          failures += 1
        }
      }
      return { seen, failures }
    }
    const clean = await readAll()
    expect(clean.failures).toBe(0)
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/user/list', errcode: -1, times: 3 })
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/user/list', httpStatus: 502, probability: 0.3 })
    const faulty = await readAll()
    expect(faulty.failures).toBeGreaterThan(3)
    expect([...faulty.seen].sort()).toEqual([...clean.seen].sort())
  })
})
