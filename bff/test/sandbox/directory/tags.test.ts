import { describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { contactToken } from './helpers'
import { hintPattern, setup } from '../helpers'

/** 项目组 names 吴九 (客服中心) and 研发中心's 前端组 (3); 兴趣小组 names 孙七 (行政部) and the whole 产品部 (7). */
const TAGS = [
  { tagid: 11, tagname: '项目组', users: ['WuJiu'], departments: [3] },
  { tagid: 12, tagname: '兴趣小组', users: ['sunqi'], departments: [7] },
]

describe('sandbox tags (tag/list, tag/get) and tags in the visible range', () => {
  it('answers 40068 for a missing, malformed or unknown tagid', async () => {
    const t = setup({ tags: TAGS })
    const token = await t.token()
    for (const q of ['', '&tagid=', '&tagid=abc', '&tagid=-1', '&tagid=99']) {
      const body = await t.json(`/cgi-bin/tag/get?access_token=${token}${q}`)
      expect(body.errcode, q).toBe(40068)
      expect(body.errmsg).toMatch(/^invalid tagid/)
      expect(body.errmsg).toMatch(hintPattern(40068))
    }
  })

  it('refuses tags naming unknown members or departments, duplicate ids or names, and a range naming an unknown tag', async () => {
    const t = setup()
    const bad = [
      { tags: [{ tagid: 1, tagname: 'a', users: ['ghost'], departments: [] }] },
      { tags: [{ tagid: 1, tagname: 'a', users: [], departments: [424242] }] },
      { tags: [{ tagid: 1, tagname: 'a', users: [], departments: [] }, { tagid: 1, tagname: 'b', users: [], departments: [] }] },
      { tags: [{ tagid: 1, tagname: 'a', users: [], departments: [] }, { tagid: 2, tagname: 'a', users: [], departments: [] }] },
      { tags: [{ tagid: 1, tagname: 'x'.repeat(33), users: [], departments: [] }] },
      { visibleRange: { departments: [], users: [], tags: [5] } },
    ]
    for (const body of bad) expect((await t.send('POST', '/sandbox/admin/settings', body)).status, JSON.stringify(body)).toBe(400)
    expect((await t.json('/sandbox/admin/settings')).settings).toMatchObject({ tags: [], visibleRange: { departments: [1], users: [], tags: [] } })
  })

  it('lists every tag for the app and the contact-sync secret alike', async () => {
    const t = setup({ tags: TAGS, visibleRange: { departments: [19], users: [] } })
    const expected = { errcode: 0, errmsg: 'ok', taglist: [{ tagid: 11, tagname: '项目组' }, { tagid: 12, tagname: '兴趣小组' }] }
    expect(await t.json(`/cgi-bin/tag/list?access_token=${await t.token()}`)).toEqual(expected)
    expect(await t.json(`/cgi-bin/tag/list?access_token=${await contactToken(t)}`)).toEqual(expected)
  })

  it("tag/get: the tag's name, its members inside the visible range, its departments", async () => {
    // Only 研发中心 (2) is visible: 吴九 (客服中心) is left out of the tag's userlist.
    const t = setup({ tags: TAGS, visibleRange: { departments: [2], users: [] } })
    const body = await t.json(`/cgi-bin/tag/get?access_token=${await t.token()}&tagid=11`)
    expect(body).toEqual({ errcode: 0, errmsg: 'ok', tagname: '项目组', userlist: [], partylist: [3] })
    const all = await t.json(`/cgi-bin/tag/get?access_token=${await contactToken(t)}&tagid=11`)
    expect(all.userlist).toEqual([{ userid: 'wujiu', name: '吴九' }])
  })

  it('a tag in the range makes its members and departments visible: agent/get, user/get, department/list, user/list', async () => {
    const t = setup({ tags: TAGS, visibleRange: { departments: [], users: [], tags: [12] } })
    const token = await t.token()
    const agent = await t.json(`/cgi-bin/agent/get?access_token=${token}&agentid=${SANDBOX_DEFAULTS.agentId}`)
    expect(agent).toMatchObject({ allow_userinfos: { user: [] }, allow_partys: { partyid: [] }, allow_tags: { tagid: [12] } })
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=sunqi`)).errcode).toBe(0)
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=wujiu`)).errcode).toBe(60011)
    const deps = (await t.json(`/cgi-bin/department/list?access_token=${token}`)).department as { id: number }[]
    expect(deps[0]).toMatchObject({ id: 7 })
    expect(deps.map((d) => d.id)).not.toContain(2)
    expect((await t.json(`/cgi-bin/user/list?access_token=${token}&department_id=7`)).errcode).toBe(0)
    expect((await t.json(`/cgi-bin/user/list?access_token=${token}&department_id=2`)).errcode).toBe(60011)
    expect((await t.json(`/cgi-bin/tag/get?access_token=${token}&tagid=12`)).userlist).toEqual([{ userid: 'sunqi', name: '孙七' }])
  })

  it('follows tags and the range changed through the admin API, and returns to the constructed ones on reset', async () => {
    const t = setup({ visibleRange: { departments: [2], users: [] } })
    const token = await t.token()
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=wujiu`)).errcode).toBe(60011)
    expect((await t.send('POST', '/sandbox/admin/settings', { tags: TAGS, visibleRange: { departments: [2], users: [], tags: [11] } })).status).toBe(200)
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=wujiu`)).errcode).toBe(0)
    await t.send('POST', '/sandbox/admin/settings', { tags: [{ ...TAGS[0]!, users: [] }] })
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=wujiu`)).errcode).toBe(60011)
    await t.send('POST', '/sandbox/admin/reset')
    expect((await t.json(`/cgi-bin/tag/list?access_token=${await t.token()}`)).taglist).toEqual([])
  })
})
