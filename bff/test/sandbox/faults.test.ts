import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS, TEST_IP_HEADER } from '../../src/sandbox/index'
import { hintPattern, setup } from './helpers'

describe('sandbox fault injection', () => {
  it('rejects a malformed fault with 400', async () => {
    const t = setup()
    expect((await t.send('POST', '/sandbox/admin/faults', { path: '/not-cgi', errcode: 1 })).status).toBe(400)
    expect((await t.send('POST', '/sandbox/admin/faults', { path: '*', probability: 2 })).status).toBe(400)
    expect((await t.send('POST', '/sandbox/admin/faults', { path: '*', unknown: 1 })).status).toBe(400)
    const broken = await t.app.request('/sandbox/admin/faults', { method: 'POST', body: '{oops' })
    expect(broken.status).toBe(400)
    expect(await broken.json()).toMatchObject({ errmsg: 'Warning: wrong json format.' })
  })

  it('injects an errcode on one path for `times` calls, then lets calls through', async () => {
    const t = setup()
    const token = await t.token()
    const res = await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/user/get', errcode: 45009, times: 2 })
    expect(await res.json()).toMatchObject({ errcode: 0, id: expect.any(String) })
    const url = `/cgi-bin/user/get?access_token=${token}&userid=lisi`
    for (let i = 0; i < 2; i++) {
      const body = await t.json(url)
      expect(body.errcode).toBe(45009)
      expect(body.errmsg).toMatch(/^api freq out of limit/)
      expect(body.errmsg).toMatch(hintPattern(45009))
    }
    expect((await t.json(url)).errcode).toBe(0)
    expect((await t.json(`/cgi-bin/department/get?access_token=${token}&id=1`)).errcode).toBe(0)
  })

  it('applies before the token check, so gettoken itself can fail', async () => {
    const t = setup()
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/gettoken', errcode: -1, errmsg: 'system busy', times: 1 })
    expect(await t.gettoken()).toMatchObject({ errcode: -1, errmsg: expect.stringMatching(/^system busy, hint:/) })
    expect((await t.gettoken()).errcode).toBe(0)
  })

  it("matches every /cgi-bin/ path with '*'", async () => {
    const t = setup()
    await t.send('POST', '/sandbox/admin/faults', { path: '*', errcode: 40014 })
    expect((await t.gettoken()).errcode).toBe(40014)
    expect((await t.json('/cgi-bin/department/get?access_token=x&id=1')).errcode).toBe(40014)
  })

  it('answers httpStatus alone with a gateway HTML page, and with errcode as JSON', async () => {
    const t = setup()
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/gettoken', httpStatus: 502, times: 1 })
    const gateway = await t.get('/cgi-bin/gettoken')
    expect(gateway.status).toBe(502)
    expect(gateway.headers.get('content-type')).toMatch(/text\/html/)
    expect(await gateway.text()).toContain('502 Bad Gateway')
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/gettoken', httpStatus: 503, errcode: -1, times: 1 })
    const jsonErr = await t.get('/cgi-bin/gettoken')
    expect(jsonErr.status).toBe(503)
    expect(await jsonErr.json()).toMatchObject({ errcode: -1 })
  })

  it('delays by latencyMs and then answers normally', async () => {
    const t = setup()
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/gettoken', latencyMs: 150, times: 1 })
    const started = performance.now()
    const body = await t.gettoken()
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(body.errcode).toBe(0)
  })

  it('drops the request: app.request rejects', async () => {
    const t = setup()
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/gettoken', drop: true, times: 1 })
    await expect(t.gettoken()).rejects.toThrow(/connection dropped/)
    expect((await t.gettoken()).errcode).toBe(0)
  })

  it('fires `probability` faults on seeded dice: never at 0, always at 1, same pattern every run', async () => {
    const pattern = async () => {
      const t = setup()
      await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/gettoken', errcode: 45033, probability: 0.5 })
      const out: number[] = []
      for (let i = 0; i < 20; i++) out.push((await t.gettoken()).errcode)
      return out
    }
    const a = await pattern()
    expect(a).toEqual(await pattern())
    expect(a).toContain(0)
    expect(a).toContain(45033)
    const t = setup()
    await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/gettoken', errcode: 1, probability: 0 })
    expect((await t.gettoken()).errcode).toBe(0)
  })

  it('lists, deletes one, and clears faults', async () => {
    const t = setup()
    const a = (await (await t.send('POST', '/sandbox/admin/faults', { path: '*', errcode: 1 })).json()) as { id: string }
    await t.send('POST', '/sandbox/admin/faults', { path: '*', errcode: 2 })
    expect(((await t.json('/sandbox/admin/faults')).faults as unknown[]).length).toBe(2)
    expect((await t.send('DELETE', `/sandbox/admin/faults/${a.id}`)).status).toBe(200)
    expect((await t.send('DELETE', `/sandbox/admin/faults/${a.id}`)).status).toBe(404)
    expect((await t.gettoken()).errcode).toBe(2)
    await t.send('DELETE', '/sandbox/admin/faults')
    expect((await t.gettoken()).errcode).toBe(0)
  })
})

describe('sandbox on a real socket', () => {
  async function listen(t: ReturnType<typeof setup>) {
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
  }

  it('destroys the socket for a drop fault, so fetch fails without a response', async () => {
    const t = setup()
    const { base, close } = await listen(t)
    try {
      await t.send('POST', '/sandbox/admin/faults', { path: '/cgi-bin/gettoken', drop: true, times: 1 })
      await expect(fetch(`${base}/cgi-bin/gettoken`)).rejects.toThrow()
      const ok = await fetch(`${base}/cgi-bin/gettoken?corpid=${SANDBOX_DEFAULTS.corpId}&corpsecret=${SANDBOX_DEFAULTS.secret}`)
      expect(((await ok.json()) as { errcode: number }).errcode).toBe(0)
    } finally {
      await close()
    }
  })

  it('takes the caller IP from the socket and ignores the test header', async () => {
    const t = setup({ ipAllowlist: ['203.0.113.9'] })
    const { base, close } = await listen(t)
    try {
      const token = await t.token()
      const res = await fetch(`${base}/cgi-bin/user/get?access_token=${token}&userid=lisi`, { headers: { [TEST_IP_HEADER]: '203.0.113.9' } })
      const body = (await res.json()) as { errcode: number; errmsg: string }
      expect(body.errcode).toBe(60020)
      expect(body.errmsg).toContain('from ip: 127.0.0.1')
    } finally {
      await close()
    }
  })
})
