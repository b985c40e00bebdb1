import { describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS, TEST_IP_HEADER } from '../../../src/sandbox/index'
import { authorizeUrl, redirectParams, setup } from '../helpers'

describe('sandbox index page', () => {
  it('escapes the app URL it links to', async () => {
    const t = setup({ appUrl: 'http://localhost:3000/"><script>x</script>' })
    const page = await (await t.get('/')).text()
    expect(page).not.toContain('<script>x')
  })

  it('shows the credentials, the demo users and "open the app as" links', async () => {
    const t = setup({ appUrl: 'http://localhost:3000/' })
    const res = await t.get('/')
    expect(res.status).toBe(200)
    const page = await res.text()
    for (const text of [SANDBOX_DEFAULTS.corpId, SANDBOX_DEFAULTS.agentId, SANDBOX_DEFAULTS.secret, 'localhost:3000', '张三', '李四', '王五', '已退出', '已禁用', '未激活', '打开应用']) {
      expect(page).toContain(text)
    }
    expect(page).toContain('href="/sandbox/client?next=http%3A%2F%2Flocalhost%3A3000%2F&amp;userid=zhangsan"')
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=/)
  })

  it('lists demo users for the start banner', () => {
    const t = setup()
    const users = t.sandbox.demoUsers()
    expect(users.map((u) => [u.userid, u.status])).toEqual(expect.arrayContaining([['zhangsan', 1], ['lisi', 1], ['wangwu', 5]]))
    expect(users.find((u) => u.userid === 'zhangsan')).toMatchObject({ name: '张三', department: '研发中心', note: expect.stringContaining('管理员') })
  })

  it('has deterministic, WeCom-shaped default credentials', () => {
    expect(SANDBOX_DEFAULTS.corpId).toMatch(/^ww[0-9a-z]{16}$/)
    expect(SANDBOX_DEFAULTS.secret).toHaveLength(43)
    expect(SANDBOX_DEFAULTS.agentId).toBe('1000002')
  })
})

describe('sandbox admin API', () => {
  it('rejects bad settings with 400', async () => {
    const t = setup()
    expect((await t.send('POST', '/sandbox/admin/settings', { tokenExpiresIn: 0 })).status).toBe(400)
    expect((await t.send('POST', '/sandbox/admin/settings', { ipAllowlist: 'x' })).status).toBe(400)
  })

  it('reads and updates settings', async () => {
    const t = setup()
    expect(await t.json('/sandbox/admin/settings')).toMatchObject({ settings: { tokenExpiresIn: 7200, trustedDomain: 'localhost:3000', ipAllowlist: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] } })
    const res = await t.send('POST', '/sandbox/admin/settings', { trustedDomain: 'app.example.com' })
    expect(await res.json()).toMatchObject({ settings: { trustedDomain: 'app.example.com', tokenExpiresIn: 7200 } })
  })

  it('counts calls per path', async () => {
    const t = setup()
    const token = await t.token()
    await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`)
    await t.json(`/cgi-bin/user/get?access_token=${token}&userid=nobody`)
    await t.get(authorizeUrl({ sandbox_userid: 'lisi' }))
    expect(await t.json('/sandbox/admin/stats')).toMatchObject({
      calls: { '/cgi-bin/gettoken': 1, '/cgi-bin/user/get': 2, '/connect/oauth2/authorize': 1 },
      tokensIssued: 1,
      codesIssued: 1,
    })
  })

  it('resets tokens, codes, faults, counters and settings to the construction values', async () => {
    const t = setup({ ipAllowlist: ['10.0.0.1'] })
    const token = await t.token()
    const code = redirectParams(await t.get(authorizeUrl({ sandbox_userid: 'lisi' }))).searchParams.get('code')!
    await t.send('POST', '/sandbox/admin/settings', { tokenExpiresIn: 5, trustedDomain: 'x.example', ipAllowlist: [] })
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/user/get', errcode: 1 })
    expect(await (await t.send('POST', '/sandbox/admin/reset')).json()).toEqual({ errcode: 0, errmsg: 'ok' })
    expect(await t.json('/sandbox/admin/settings')).toMatchObject({ settings: { tokenExpiresIn: 7200, trustedDomain: 'localhost:3000', ipAllowlist: ['10.0.0.1'] } })
    expect(await t.json('/sandbox/admin/faults')).toMatchObject({ faults: [] })
    expect(await t.json('/sandbox/admin/stats')).toMatchObject({ calls: {}, tokensIssued: 0, codesIssued: 0, messagesDelivered: 0 })
    const ip = { [TEST_IP_HEADER]: '10.0.0.1' }
    expect((await t.json(`/cgi-bin/user/get?access_token=${token}&userid=lisi`, ip)).errcode).toBe(40014)
    const fresh = await t.token()
    expect((await t.json(`/cgi-bin/auth/getuserinfo?access_token=${fresh}&code=${code}`, ip)).errcode).toBe(40029)
    expect((await t.json(`/cgi-bin/user/get?access_token=${fresh}&userid=lisi`, ip)).errcode).toBe(0)
  })
})
