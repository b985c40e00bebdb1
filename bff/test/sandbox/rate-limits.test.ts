import { describe, expect, it } from 'vitest'
import { hintPattern, setup } from './helpers'

describe('sandbox frequency and concurrency limits', () => {
  it('rejects malformed limits with 400', async () => {
    const t = setup()
    expect((await t.send('POST', '/sandbox/admin/settings', { limits: { perMinutePerApi: 0 } })).status).toBe(400)
    expect((await t.send('POST', '/sandbox/admin/settings', { limits: { maxConcurrentPerApi: -1 } })).status).toBe(400)
    expect((await t.send('POST', '/sandbox/admin/settings', { limits: { perHour: 5 } })).status).toBe(400)
  })

  it('answers 45009 past perMinutePerApi, per API, until the minute is over', async () => {
    const t = setup({ limits: { perMinutePerApi: 3 } })
    const token = await t.token()
    const url = `/cgi-bin/user/get?access_token=${token}&userid=lisi`
    for (let i = 0; i < 3; i++) expect((await t.json(url)).errcode).toBe(0)
    const blocked = await t.json(url)
    expect(blocked.errcode).toBe(45009)
    expect(blocked.errmsg).toMatch(/^api freq out of limit/)
    expect(blocked.errmsg).toMatch(hintPattern(45009))
    expect((await t.json(`/cgi-bin/department/get?access_token=${token}&id=1`)).errcode).toBe(0)
    t.advance(59_999)
    expect((await t.json(url)).errcode).toBe(45009)
    t.advance(1)
    expect((await t.json(url)).errcode).toBe(0)
  })

  it('answers 45033 when more than maxConcurrentPerApi calls of one API are in flight', async () => {
    const t = setup({ limits: { maxConcurrentPerApi: 2 } })
    const token = await t.token()
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/user/list', latencyMs: 150, times: 3 })
    const url = `/cgi-bin/user/list?access_token=${token}&department_id=3`
    const codes = (await Promise.all([t.json(url), t.json(url), t.json(url)])).map((b) => b.errcode).sort()
    expect(codes).toEqual([0, 0, 45033])
    const body = (await Promise.all([t.json(url), t.json(url)])).map((b) => b.errcode)
    expect(body).toEqual([0, 0])
  })

  it('does not limit concurrency by default, and the admin API changes limits; reset restores them', async () => {
    const t = setup()
    const token = await t.token()
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/user/get', latencyMs: 50 })
    const url = `/cgi-bin/user/get?access_token=${token}&userid=lisi`
    expect((await Promise.all(Array.from({ length: 5 }, () => t.json(url)))).map((b) => b.errcode)).toEqual([0, 0, 0, 0, 0])
    await t.send('POST', '/sandbox/admin/settings', { limits: { perMinutePerApi: 1 } })
    expect((await t.json('/sandbox/admin/settings')).settings).toMatchObject({ limits: { perMinutePerApi: 1, maxConcurrentPerApi: 0 } })
    await t.send('DELETE', '/sandbox/admin/faults')
    expect((await t.json(url)).errcode).toBe(45009)
    await t.send('POST', '/sandbox/admin/reset')
    expect((await t.json(`/cgi-bin/user/get?access_token=${await t.token()}&userid=lisi`)).errcode).toBe(0)
  })
})
