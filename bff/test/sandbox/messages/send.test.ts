import { describe, expect, it } from 'vitest'
import { contactToken } from '../directory/helpers'
import { hintPattern, setup } from '../helpers'
import { card, inbox, send, SEND } from './helpers'

describe('sandbox message/send: refusals', () => {
  it('checks agentid: missing 41011, malformed 40056, another app 301002', async () => {
    const t = setup()
    expect((await send(t, card({ agentid: undefined }))).errcode).toBe(41011)
    expect((await send(t, card({ agentid: 'abc' }))).errcode).toBe(40056)
    const other = await send(t, card({ agentid: 1000003 }))
    expect(other.errcode).toBe(301002)
    expect(other.errmsg).toMatch(hintPattern(301002))
    // A numeric string is the same app.
    expect((await send(t, card({ agentid: '1000002' }))).errcode).toBe(0)
    expect((await send(t, card(), await contactToken(t))).errcode).toBe(48002)
    expect(await inbox(t, 'lisi')).toHaveLength(1)
  })

  it('checks each type: missing fields, bad urls, sizes and unknown types', async () => {
    const t = setup()
    const tc = (f: Record<string, unknown>) => card({ textcard: { ...(card().textcard as object), ...f } })
    const cases: [Record<string, unknown>, number][] = [
      [card({ msgtype: undefined }), 40008],
      [card({ msgtype: 'fax' }), 40008],
      [card({ msgtype: 'image', image: { media_id: 'x' } }), 48002],
      [card({ msgtype: 'text', text: {} }), 44004],
      [card({ msgtype: 'markdown', markdown: { content: 'x'.repeat(2049) } }), 45002],
      [tc({ title: '' }), 41016],
      [tc({ description: undefined }), 41033],
      [tc({ url: undefined }), 41010],
      [tc({ url: 'javascript:alert(1)' }), 45034],
      [tc({ url: 'https://a.example/a b' }), 45034],
      [tc({ url: 'https://a.example/x">' }), 45034],
      [tc({ url: 'https://a.example/?q=<b>' }), 45034],
      [tc({ url: 'https://a.example/a|b' }), 45034],
      [tc({ url: 'https://a.example/a^b' }), 45034],
      [tc({ url: 'https://a.example/{x}' }), 45034],
      [tc({ url: 'https://a.example/a\u0001b' }), 45034],
      [tc({ url: 'https://a.example/a\u007fb' }), 45034],
      [tc({ url: `https://a.example/${'x'.repeat(2048)}` }), 40094],
      [card({ msgtype: 'news', news: { articles: [] } }), 45008],
      [card({ msgtype: 'news', news: { articles: Array.from({ length: 9 }, () => ({ title: 't', url: 'https://a.example' })) } }), 45008],
      [card({ msgtype: 'news', news: { articles: [{ title: 't', url: 'https://a.example' }] }, safe: 1 }), 40074],
      [card({ safe: 3 }), 40058],
      [card({ enable_duplicate_check: 1, duplicate_check_interval: 14_401 }), 40058],
      [card({ touser: undefined }), 82001],
      [card({ touser: Array.from({ length: 1001 }, (_, i) => `u${i}`).join('|') }), 40032],
      [card({ toparty: Array.from({ length: 101 }, (_, i) => String(i + 1)).join('|') }), 82002],
    ]
    for (const [body, errcode] of cases) expect((await send(t, body)).errcode, JSON.stringify(body).slice(0, 120)).toBe(errcode)
    expect((await send(t, '{bad')).errcode).toBe(40058)
    expect(await inbox(t, 'lisi')).toEqual([])
  })

  it('all recipients invalid → 81013 with the invalid lists; nothing delivered', async () => {
    const t = setup({ visibleRange: { departments: [3], users: [] } })
    const res = await send(t, card({ touser: 'ZhangSan|ghost|wangwu', toparty: '99|2', totag: '1' }))
    expect(res).toMatchObject({ errcode: 81013, invaliduser: 'zhangsan|ghost|wangwu', invalidparty: '99|2', invalidtag: '1' })
    expect(res.errmsg).toMatch(hintPattern(81013))
    expect((await t.json('/sandbox/admin/messages')).sends).toEqual([])
  })
})

describe('sandbox message/send: delivery', () => {
  it('delivers to the valid ones and lists the rest: invaliduser lower-cased, unlicenseduser from settings', async () => {
    const t = setup({ unlicensedUsers: ['WuJiu'] })
    const res = await send(t, card({ touser: 'LiSi|Ghost|wangwu|zhaoliu|sunqi|wujiu' }))
    expect(res).toMatchObject({ errcode: 0, errmsg: 'ok', invaliduser: 'ghost|wangwu|zhaoliu', invalidparty: '', invalidtag: '', unlicenseduser: 'wujiu' })
    expect(res.msgid).toMatch(/^[\w-]{20,}$/)
    expect((await inbox(t, 'lisi')).map((m) => m.msgid)).toEqual([res.msgid])
    // Not yet activated members still get it; unlicensed ones do not.
    expect(await inbox(t, 'sunqi')).toHaveLength(1)
    expect(await inbox(t, 'wujiu')).toEqual([])
  })

  it('toparty reaches the subtree; @all the whole visible range', async () => {
    const t = setup({ visibleRange: { departments: [2], users: [] } })
    const party = await send(t, card({ touser: '', toparty: '2' }))
    expect(party.errcode).toBe(0)
    expect(await inbox(t, 'lisi')).toHaveLength(1)
    expect(await inbox(t, 'zhangsan')).toHaveLength(1)
    await send(t, card({ touser: '@all', toparty: '99' }))
    expect(await inbox(t, 'lisi')).toHaveLength(2)
    expect(await inbox(t, 'wujiu')).toEqual([])
  })

  it('truncates text, titles, descriptions and btntxt as WeCom does', async () => {
    const t = setup()
    await send(t, card({ msgtype: 'text', text: { content: '汉'.repeat(700) } }))
    await send(t, card({ textcard: { title: '标'.repeat(50), description: '描'.repeat(200), url: 'https://a.example/x', btntxt: '立即去处理' } }))
    await send(t, card({ textcard: { title: 't', description: 'd', url: 'https://a.example/x' } }))
    const [text, long, plain] = await inbox(t, 'lisi')
    expect(text!.payload.text!.content).toBe('汉'.repeat(682))
    expect(long!.payload.textcard).toMatchObject({ title: '标'.repeat(42), description: '描'.repeat(170), btntxt: '立即去处' })
    expect(plain!.payload.textcard!.btntxt).toBe('详情')
  })

  it('enable_duplicate_check: the same JSON within the interval answers ok again but is delivered once', async () => {
    const t = setup()
    const body = card({ enable_duplicate_check: 1, duplicate_check_interval: 600 })
    const first = await send(t, body)
    const again = await send(t, body)
    expect(again).toEqual(first)
    expect(await inbox(t, 'lisi')).toHaveLength(1)
    // Without the flag, or after the interval, it is a new message.
    await send(t, card())
    t.advance(600_000)
    expect((await send(t, body)).msgid).not.toBe(first.msgid)
    expect(await inbox(t, 'lisi')).toHaveLength(3)
    expect(((await t.json('/sandbox/admin/messages')).sends as { duplicateOf?: string }[]).filter((s) => s.duplicateOf === first.msgid)).toHaveLength(1)
  })

  it('drops (and records) messages past 30 a minute to one member, answering ok', async () => {
    const t = setup()
    for (let i = 0; i < 30; i++) expect((await send(t, card({ touser: 'lisi|zhangsan' }))).errcode).toBe(0)
    const over = await send(t, card({ touser: 'lisi' }))
    expect(over).toMatchObject({ errcode: 0, invaliduser: '' })
    const messages = await inbox(t, 'lisi')
    expect(messages.filter((m) => m.status === 'delivered')).toHaveLength(30)
    expect(messages[30]).toMatchObject({ msgid: over.msgid, status: 'dropped' })
    const sends = (await t.json('/sandbox/admin/messages')).sends as { msgid: string; dropped: string[] }[]
    expect(sends.at(-1)).toMatchObject({ msgid: over.msgid, dropped: ['lisi'] })
    // Others are unaffected; a minute later lisi receives again. Not subject to the API-wide 45009.
    t.advance(60_000)
    expect((await inbox(t, 'zhangsan')).every((m) => m.status === 'delivered')).toBe(true)
    await send(t, card())
    expect((await inbox(t, 'lisi')).at(-1)!.status).toBe('delivered')
  })

  it('plays injected faults: -1, 45009, 502 and a dropped connection deliver nothing', async () => {
    const t = setup()
    const fault = (spec: object) => t.send('POST', '/sandbox/admin/faults', { path: SEND, times: 1, ...spec })
    await fault({ errcode: -1 })
    expect((await send(t, card())).errcode).toBe(-1)
    await fault({ errcode: 45009 })
    expect((await send(t, card())).errcode).toBe(45009)
    await fault({ httpStatus: 502 })
    const token = await t.token()
    const gateway = await t.app.request(`${SEND}?access_token=${token}`, { method: 'POST', body: JSON.stringify(card()) })
    expect(gateway.status).toBe(502)
    await fault({ drop: true })
    await expect(t.app.request(`${SEND}?access_token=${token}`, { method: 'POST', body: JSON.stringify(card()) })).rejects.toThrow(/dropped/)
    expect(await inbox(t, 'lisi')).toEqual([])
    expect((await send(t, card())).errcode).toBe(0)
    expect(await inbox(t, 'lisi')).toHaveLength(1)
  })

  it('is cleared by reset', async () => {
    const t = setup()
    await send(t, card())
    await t.send('POST', '/sandbox/admin/reset')
    expect(await inbox(t, 'lisi')).toEqual([])
  })
})
