import { describe, expect, it } from 'vitest'
import { contactToken } from './helpers'
import { authorizeUrl, hintPattern, redirectParams, setup } from '../helpers'

/** The app sees 研发中心 (2) and its subtree, plus 吴九 (客服中心) by name. */
const NARROW = { departments: [2], users: ['WuJiu'] }

describe('sandbox visible range (可见范围)', () => {
  it('rejects a range naming unknown departments or members, and malformed ones', async () => {
    const t = setup()
    expect((await t.send('POST', '/sandbox/admin/settings', { visibleRange: { departments: [424242], users: [] } })).status).toBe(400)
    expect((await t.send('POST', '/sandbox/admin/settings', { visibleRange: { departments: [2], users: ['ghost'] } })).status).toBe(400)
    expect((await t.send('POST', '/sandbox/admin/settings', { visibleRange: { departments: [2] } })).status).toBe(400)
    expect((await t.json('/sandbox/admin/settings')).settings).toMatchObject({ visibleRange: { departments: [1], users: [] } })
  })

  it('answers 60011 for department/list, department/get and member lists outside the range', async () => {
    const t = setup({ visibleRange: NARROW })
    const token = await t.token()
    for (const path of ['/cgi-bin/department/list?id=1', '/cgi-bin/department/list?id=7', '/cgi-bin/department/simplelist?id=19', '/cgi-bin/department/get?id=1', '/cgi-bin/user/simplelist?department_id=19', '/cgi-bin/user/list?department_id=1']) {
      const body = await t.json(`${path}&access_token=${token}`)
      expect(body.errcode, path).toBe(60011)
      expect(body.errmsg).toMatch(/^no privilege to access\/modify contact\/party\/agent/)
      expect(body.errmsg).toMatch(hintPattern(60011))
    }
  })

  it('answers 60011 from user/get for an existing member outside the range, 60111 for an unknown one', async () => {
    const t = setup({ visibleRange: NARROW })
    const token = await t.token()
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=sunqi`)).errcode).toBe(60011)
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=nobody`)).errcode).toBe(60111)
  })

  it('lists only the subtree; its top keeps the real parentid, which the app cannot see', async () => {
    const t = setup({ visibleRange: NARROW })
    const body = await t.json(`/cgi-bin/department/list?access_token=${await t.token()}`)
    const list = body.department as { id: number; parentid: number }[]
    const ids = list.map((d) => d.id)
    expect(list[0]).toMatchObject({ id: 2, parentid: 1 })
    expect(ids).toEqual(expect.arrayContaining([2, 3, 4, 5, 6]))
    expect(ids).not.toContain(1)
    expect(ids).not.toContain(7)
    expect(ids).not.toContain(19)
    const subtree = new Set([2])
    for (let grew = true; grew; ) {
      grew = false
      for (const d of t.state.directory.org.departments) if (subtree.has(d.parentid) && !subtree.has(d.id)) grew = Boolean(subtree.add(d.id))
    }
    expect([...ids].sort((a, b) => a - b)).toEqual([...subtree].sort((a, b) => a - b))
  })

  it('shows members in visible departments and those named in users', async () => {
    const t = setup({ visibleRange: NARROW })
    const token = await t.token()
    for (const userid of ['lisi', 'zhangsan', 'zhouba', 'wujiu']) expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=${userid}`)).errcode, userid).toBe(0)
    const members = (await t.json(`/cgi-bin/user/simplelist?access_token=${token}&department_id=2&fetch_child=1`)).userlist as { userid: string }[]
    expect(members.map((m) => m.userid)).toEqual(expect.arrayContaining(['zhangsan', 'lisi', 'zhouba']))
    expect(members.map((m) => m.userid)).not.toContain('wujiu')
  })

  it('does not limit the contact-sync secret, which sees the whole directory', async () => {
    const t = setup({ visibleRange: NARROW })
    const token = await contactToken(t)
    const all = (await t.json(`/cgi-bin/department/simplelist?access_token=${token}`)).department_id as unknown[]
    expect(all).toHaveLength(t.state.directory.org.departments.length)
    expect((await t.json(`/cgi-bin/department/get?access_token=${token}&id=19`)).errcode).toBe(0)
  })

  it('gives no user_ticket for a member outside the range', async () => {
    const t = setup({ visibleRange: NARROW })
    const token = await t.token()
    const codeFor = async (userid: string) => redirectParams(await t.get(authorizeUrl({ sandbox_userid: userid, scope: 'snsapi_privateinfo', sandbox_consent: 'agree' }))).searchParams.get('code')!
    expect(await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${await codeFor('sunqi')}`)).toEqual({ errcode: 0, errmsg: 'ok', userid: 'sunqi' })
    expect((await t.json(`/cgi-bin/auth/getuserinfo?access_token=${token}&code=${await codeFor('lisi')}`)).user_ticket).toEqual(expect.any(String))
  })

  it('follows the admin API and returns to the constructed range on reset', async () => {
    const t = setup()
    const token = await t.token()
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=sunqi`)).errcode).toBe(0)
    await t.send('POST', '/sandbox/admin/settings', { visibleRange: { departments: [3], users: [] } })
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=sunqi`)).errcode).toBe(60011)
    expect(((await t.json(`/cgi-bin/department/list?access_token=${token}`)).department as unknown[]).length).toBeGreaterThanOrEqual(1)
    await t.send('POST', '/sandbox/admin/reset')
    expect((await t.json(`/cgi-bin/user/get?access_token=${await t.token()}&userid=sunqi`)).errcode).toBe(0)
  })
})
