import { describe, expect, it } from 'vitest'
import { SANDBOX_DEFAULTS } from '../../../src/sandbox/index'
import { hintPattern, setup } from '../helpers'

describe('sandbox gettoken', () => {
  it('rejects a missing corpid with 41002 and a missing secret with 41004', async () => {
    const t = setup()
    const noCorp = await t.json(`/cgi-bin/gettoken?corpsecret=${SANDBOX_DEFAULTS.secret}`)
    expect(noCorp.errcode).toBe(41002)
    expect(noCorp.errmsg).toMatch(/^corpid missing/)
    const noSecret = await t.json(`/cgi-bin/gettoken?corpid=${SANDBOX_DEFAULTS.corpId}`)
    expect(noSecret.errcode).toBe(41004)
    expect(noSecret.errmsg).toMatch(/^corpsecret missing/)
  })

  it('rejects a wrong corpid with 40013 and a wrong secret with 40001, in WeCom errmsg format', async () => {
    const t = setup()
    const badCorp = await t.gettoken('wwnotthiscorp00000')
    expect(badCorp).toEqual({ errcode: 40013, errmsg: expect.stringMatching(/^invalid corpid/) })
    expect(badCorp.errmsg).toMatch(hintPattern(40013))
    const badSecret = await t.gettoken(SANDBOX_DEFAULTS.corpId, 'wrong')
    expect(badSecret.errcode).toBe(40001)
    expect(badSecret.errmsg).toMatch(/^invalid credential/)
    expect(badSecret.errmsg).toMatch(hintPattern(40001))
  })

  it('answers errors with HTTP 200, as WeCom does', async () => {
    const t = setup()
    const res = await t.get('/cgi-bin/gettoken?corpid=x&corpsecret=y')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
  })

  it('issues a token valid for 7200 s with the documented fields', async () => {
    const t = setup()
    const body = await t.gettoken()
    expect(body).toEqual({ errcode: 0, errmsg: 'ok', access_token: expect.any(String), expires_in: 7200 })
    expect((body.access_token as string).length).toBeLessThanOrEqual(512)
  })

  it('returns the same token while it is valid, with the time it has left', async () => {
    const t = setup()
    const first = await t.gettoken()
    t.advance(1000 * 1000)
    const again = await t.gettoken()
    expect(again.access_token).toBe(first.access_token)
    expect(again.expires_in).toBe(6200)
    expect(t.state.counters.tokensIssued).toBe(1)
  })

  it('issues a new token once the old one has expired', async () => {
    const t = setup()
    const first = await t.gettoken()
    t.advance(7200 * 1000)
    const second = await t.gettoken()
    expect(second.access_token).not.toBe(first.access_token)
    expect(second.expires_in).toBe(7200)
  })

  it('is not gated by the IP allowlist (undocumented upstream; see cgi-gate.ts)', async () => {
    const t = setup({ ipAllowlist: [] })
    expect((await t.gettoken()).errcode).toBe(0)
  })

  it('counts every gettoken call, and concurrent callers all get the one token', async () => {
    const t = setup()
    const bodies = await Promise.all(Array.from({ length: 1000 }, () => t.gettoken()))
    expect(new Set(bodies.map((b) => b.access_token)).size).toBe(1)
    const stats = await t.json('/sandbox/admin/stats')
    expect(stats.calls).toEqual({ '/cgi-bin/gettoken': 1000 })
    expect(stats.tokensIssued).toBe(1)
  })
})
