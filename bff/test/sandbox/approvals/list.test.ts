import { describe, expect, it } from 'vitest'
import { adminPost, cgi, createApproval, EXPENSE, LEAVE, leaveBody, TRIP } from './helpers'
import { contactToken } from '../directory/helpers'
import { hintPattern, setup, T0 } from '../helpers'

const INFO = '/cgi-bin/oa/getapprovalinfo'
const DETAIL = '/cgi-bin/oa/getapprovaldetail'
const S0 = Math.floor(T0 / 1000)
const DAY = 24 * 3600
/** A window that contains T0 and the last 10 days. */
const WINDOW = { starttime: String(S0 - 10 * DAY), endtime: String(S0) }

describe('sandbox oa/getapprovalinfo', () => {
  it('is POST only: a GET answers 301025 "invalid starttime or endtime"', async () => {
    const t = setup()
    const res = await t.json(`${INFO}?access_token=${await t.token()}`)
    expect(res.errcode).toBe(301025)
    expect(res.errmsg).toMatch(/^invalid starttime or endtime/)
    expect(res.errmsg).toMatch(hintPattern(301025))
  })

  it('refuses bad times, spans over 31 days, bad sizes, filters and cursors', async () => {
    const t = setup()
    const token = await t.token()
    const bad = [
      [{}, 301025],
      [{ starttime: 'yesterday', endtime: String(S0) }, 301025],
      [{ starttime: String(S0), endtime: String(S0 - 1) }, 301025],
      [{ starttime: S0 - 31 * DAY - 1, endtime: S0 }, 301025],
      [{ ...WINDOW, size: 101 }, 301025],
      [{ ...WINDOW, size: 0 }, 301025],
      [{ ...WINDOW, filters: [{ key: 'color', value: 'red' }] }, 301025],
      [{ ...WINDOW, filters: [{ key: 'creator', value: 'lisi' }, { key: 'creator', value: 'zhangsan' }] }, 301025],
      [{ ...WINDOW, new_cursor: 'not-a-cursor' }, 50100],
    ] as const
    for (const [body, errcode] of bad) expect((await cgi(t, INFO, body, token)).errcode, JSON.stringify(body)).toBe(errcode)
    expect((await cgi(t, INFO, '{oops', token)).errcode).toBe(40058)
    // Exactly 31 days is allowed; numbers work as well as strings.
    expect(await cgi(t, INFO, { starttime: S0 - 31 * DAY, endtime: S0 }, token)).toMatchObject({ errcode: 0, sp_no_list: [], new_next_cursor: '' })
  })

  it('lists forms applied for inside the window, with filters: same key OR, different keys AND', async () => {
    const t = setup()
    const old = await createApproval(t, { apply_time: S0 - 40 * DAY })
    const a = await createApproval(t, { apply_time: S0 - 3 * DAY })
    const b = await createApproval(t, { apply_time: S0 - 2 * DAY, creator_userid: 'zhouba', template_id: TRIP, use_template_approver: 1, apply_data: { contents: [] } })
    const c = await createApproval(t, { apply_time: S0 - DAY, creator_userid: 'wujiu', template_id: EXPENSE, use_template_approver: 1, apply_data: { contents: [] } })
    await adminPost(t, `/sandbox/admin/approvals/${c}/act`, { userid: 'zhouba', action: 'reject' })
    expect(old).toMatch(/^\d{12}$/)
    const list = async (filters?: unknown) => (await cgi(t, INFO, { ...WINDOW, filters })).sp_no_list
    expect(await list()).toEqual([a, b, c])
    expect(await list([{ key: 'creator', value: 'ZhouBa' }])).toEqual([b])
    expect(await list([{ key: 'template_id', value: LEAVE }])).toEqual([a])
    expect(await list([{ key: 'sp_status', value: '3' }])).toEqual([c])
    expect(await list([{ key: 'record_type', value: '3' }])).toEqual([b])
    // zhouba's main department is 7, lisi's 3; department may repeat (OR).
    expect(await list([{ key: 'department', value: '7' }, { key: 'department', value: '3' }])).toEqual([a, b])
    expect(await list([{ key: 'department', value: '3' }, { key: 'sp_status', value: '3' }])).toEqual([])
    expect(await list([{ key: 'sp_status', value: '1' }, { key: 'department', value: '7' }])).toEqual([b])
  })

  it('pages with an opaque new_next_cursor until it comes back empty; legacy integer cursor too', async () => {
    const t = setup()
    const made: string[] = []
    for (let i = 0; i < 7; i++) made.push(await createApproval(t, { apply_time: S0 - 5 * DAY + i * 60 }))
    const seen: string[] = []
    let cursor = ''
    let pages = 0
    do {
      const page = await cgi(t, INFO, { ...WINDOW, size: 3, new_cursor: cursor })
      expect(page.errcode).toBe(0)
      seen.push(...(page.sp_no_list as string[]))
      cursor = page.new_next_cursor as string
      pages += 1
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual(made)
    const legacy = await cgi(t, INFO, { ...WINDOW, size: 5, cursor: 5 })
    expect(legacy).toMatchObject({ sp_no_list: made.slice(5), next_cursor: 0 })
  })

  it('only shows forms from members inside the visible range, in the list and in detail', async () => {
    const t = setup()
    const inside = await createApproval(t, { apply_time: S0 - DAY })
    const outside = await createApproval(t, { apply_time: S0 - DAY, creator_userid: 'wujiu' })
    await t.send('POST', '/sandbox/admin/settings', { visibleRange: { departments: [2], users: [] } })
    expect((await cgi(t, INFO, WINDOW)).sp_no_list).toEqual([inside])
    expect((await cgi(t, DETAIL, { sp_no: outside })).errcode).toBe(301025)
    expect((await cgi(t, DETAIL, { sp_no: inside })).errcode).toBe(0)
  })

  it('answers 45009 past 600 calls a minute, even when the corp limit is higher', async () => {
    const t = setup()
    const token = await t.token()
    for (let i = 0; i < 600; i++) expect((await cgi(t, INFO, WINDOW, token)).errcode).toBe(0)
    expect((await cgi(t, INFO, WINDOW, token)).errcode).toBe(45009)
    t.advance(60_000)
    expect((await cgi(t, INFO, WINDOW, token)).errcode).toBe(0)
  })

  it('refuses the contact-sync secret with 48002', async () => {
    const t = setup()
    expect((await cgi(t, INFO, WINDOW, await contactToken(t))).errcode).toBe(48002)
  })
})

describe('sandbox oa/getapprovaldetail', () => {
  it('answers 301025 for a missing or unknown sp_no', async () => {
    const t = setup()
    expect((await cgi(t, DETAIL, {})).errcode).toBe(301025)
    const res = await cgi(t, DETAIL, { sp_no: '209901010001' })
    expect(res.errcode).toBe(301025)
    expect(res.errmsg).toContain('209901010001')
  })

  it('returns the whole form as the getapprovaldetail page describes', async () => {
    const t = setup()
    const spNo = await createApproval(t)
    expect(spNo).toBe('202611010001')
    const res = await cgi(t, DETAIL, { sp_no: spNo })
    expect(res).toEqual({
      errcode: 0,
      errmsg: 'ok',
      info: {
        sp_no: spNo,
        sp_name: '请假',
        sp_status: 1,
        template_id: LEAVE,
        apply_time: S0,
        applyer: { userid: 'lisi', partyid: '3' },
        sp_record: [{ sp_status: 1, approverattr: 1, details: [{ approver: { userid: 'zhangsan' }, speech: '', sp_status: 1, sptime: 0, media_id: [] }] }],
        notifyer: [{ userid: 'zhouba' }],
        apply_data: { contents: [{ control: 'Textarea', id: 'Textarea-1570000000004', title: [{ text: '请假事由', lang: 'zh_CN' }], value: { text: '家中有事' } }] },
        comments: [],
      },
    })
    // A numeric sp_no works too.
    expect((await cgi(t, DETAIL, { sp_no: Number(spNo) })).errcode).toBe(0)
  })

  it('is cleared by reset', async () => {
    const t = setup()
    const spNo = await createApproval(t, leaveBody())
    await t.send('POST', '/sandbox/admin/reset')
    expect((await cgi(t, DETAIL, { sp_no: spNo })).errcode).toBe(301025)
    expect(await createApproval(t)).toBe(spNo)
  })
})
