import { describe, expect, it } from 'vitest'
import { createTokenCache, createWeComClient, isTransient, WeComError, WeComTransportError } from '../../src/wecom'
import { caught, CORP_ID, fakeWeCom, json, SECRET } from './fake-wecom'

const API = 'https://qyapi.weixin.qq.com'
const GETTOKEN = '/cgi-bin/gettoken'
const USER_GET = '/cgi-bin/user/get'

function setup(opts: { corpId?: string; secret?: string; overallTimeoutMs?: number } = {}) {
  const wecom = fakeWeCom()
  const client = createWeComClient({
    apiBase: API,
    corpId: opts.corpId ?? CORP_ID,
    secret: opts.secret ?? SECRET,
    tokens: createTokenCache(),
    fetch: wecom.fetch,
    overallTimeoutMs: opts.overallTimeoutMs,
  })
  return { wecom, client }
}


describe('gettoken errors are configuration errors: thrown with a hint, never retried', () => {
  it('40013 invalid CorpID', async () => {
    const { wecom, client } = setup({ corpId: 'wwWRONG' })
    const err = await caught(client.getUser('zhangsan'))
    expect(err).toBeInstanceOf(WeComError)
    expect(err).toMatchObject({ errcode: 40013, path: GETTOKEN })
    expect((err as WeComError).hint).toMatch(/CorpID/)
    expect(wecom.count(GETTOKEN)).toBe(1)
    expect(wecom.count(USER_GET)).toBe(0)
  })

  it('40001 invalid secret at gettoken is not treated as a stale token', async () => {
    const { wecom, client } = setup({ secret: 'wrong-secret-value-123' })
    const err = (await caught(client.get(USER_GET, { userid: 'zhangsan' }))) as WeComError
    expect(err).toBeInstanceOf(WeComError)
    expect(err.errcode).toBe(40001)
    expect(err.path).toBe(GETTOKEN)
    expect(err.hint).toMatch(/Secret/)
    expect(isTransient(err)).toBe(false)
    expect(wecom.count(GETTOKEN)).toBe(1)
  })

  it('40091 at gettoken', async () => {
    const { wecom, client } = setup()
    wecom.script(GETTOKEN, { errcode: 40091, errmsg: 'secret is invalid' })
    const err = (await caught(client.accessToken())) as WeComError
    expect(err.errcode).toBe(40091)
    expect(err.hint).toMatch(/another corp/)
    expect(wecom.count(GETTOKEN)).toBe(1)
  })

  it('a gettoken answer without access_token is a transport error', async () => {
    const { wecom, client } = setup()
    wecom.script(GETTOKEN, { errcode: 0, errmsg: 'ok' })
    const err = await caught(client.accessToken())
    expect(err).toBeInstanceOf(WeComTransportError)
    expect(err).toMatchObject({ path: GETTOKEN, failure: 'body' })
  })
})

describe('stale tokens: retry once, never loop', () => {
  it('42001 → drops the token, refetches, retries once and succeeds', async () => {
    const { wecom, client } = setup()
    const first = await client.accessToken()
    wecom.valid.delete(first) // WeCom expired it early → 42001
    const user = await client.getUser('zhangsan')
    expect(user.userid).toBe('zhangsan')
    expect(wecom.count(GETTOKEN)).toBe(2)
    const apiCalls = wecom.calls.filter((c) => c.path === USER_GET)
    expect(apiCalls.map((c) => c.query.access_token)).toEqual([first, wecom.issued[1]])
  })

  it('40014 → refetches and retries once', async () => {
    const { wecom, client } = setup()
    wecom.script(USER_GET, { errcode: 40014, errmsg: 'invalid access_token' })
    await expect(client.getUser('zhangsan')).resolves.toMatchObject({ name: '张三' })
    expect(wecom.count(USER_GET)).toBe(2)
    expect(wecom.count(GETTOKEN)).toBe(2)
  })

  it('40001 on a call made with a token → refetches and retries once', async () => {
    const { wecom, client } = setup()
    wecom.script(USER_GET, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' })
    await expect(client.getUser('zhangsan')).resolves.toMatchObject({ userid: 'zhangsan' })
    expect(wecom.count(USER_GET)).toBe(2)
  })

  it('42001 twice → throws WeComError 42001 after exactly 2 API calls and 2 gettokens', async () => {
    const { wecom, client } = setup()
    const expired = { errcode: 42001, errmsg: 'access_token expired' }
    wecom.script(USER_GET, expired, expired, expired)
    const err = await caught(client.getUser('zhangsan'))
    expect(err).toBeInstanceOf(WeComError)
    expect(err).toMatchObject({ errcode: 42001, path: USER_GET })
    expect(wecom.count(USER_GET)).toBe(2)
    expect(wecom.count(GETTOKEN)).toBe(2)
  })

  it('100 calls failing with the same stale token trigger one refetch, not 100', async () => {
    const { wecom, client } = setup()
    const stale = await client.accessToken()
    wecom.valid.delete(stale)
    const users = await Promise.all(Array.from({ length: 100 }, () => client.getUser('zhangsan')))
    expect(users).toHaveLength(100)
    expect(wecom.count(GETTOKEN)).toBe(2)
    expect(wecom.count(USER_GET)).toBe(200)
  })

  it('other errcodes are thrown as is, without touching the token', async () => {
    const { wecom, client } = setup()
    const err = await caught(client.getUser('nobody'))
    expect(err).toMatchObject({ errcode: 60111, path: USER_GET, hint: expect.stringMatching(/deleted/) })
    expect(wecom.count(USER_GET)).toBe(1)
    await client.getUser('zhangsan')
    expect(wecom.count(GETTOKEN)).toBe(1)
  })
})

describe('WeComError details', () => {
  it('60020 → .ip is the IP from errmsg and the hint names it', async () => {
    const { wecom, client } = setup()
    wecom.script(USER_GET, {
      errcode: 60020,
      errmsg: 'not allow to access from your ip, hint: [1658286717354964018506079], from ip: 115.227.127.185, more info at https://open.work.weixin.qq.com/devtool/query?e=60020',
    })
    const err = (await caught(client.getUser('zhangsan'))) as WeComError
    expect(err).toBeInstanceOf(WeComError)
    expect(err.errcode).toBe(60020)
    expect(err.ip).toBe('115.227.127.185')
    expect(err.hint).toContain('115.227.127.185')
    expect(err.path).toBe(USER_GET)
    expect(err.message).toContain('60020')
  })

  it('unknown errcode → no hint, still a WeComError', async () => {
    const { wecom, client } = setup()
    wecom.script(USER_GET, { errcode: 99999, errmsg: 'something new' })
    const err = (await caught(client.getUser('zhangsan'))) as WeComError
    expect(err.errcode).toBe(99999)
    expect(err.hint).toBeUndefined()
  })
})

describe('transport failures → WeComTransportError, no retries', () => {
  it('timeout: the overall deadline', async () => {
    const { wecom, client } = setup({ overallTimeoutMs: 50 })
    await client.accessToken()
    wecom.script(USER_GET, (req) => {
      const signal = req.init?.signal
      return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)))
    })
    const err = (await caught(client.getUser('zhangsan'))) as WeComTransportError
    expect(err).toBeInstanceOf(WeComTransportError)
    expect(err.failure).toBe('timeout')
    expect(err.path).toBe(USER_GET)
    expect(err.status).toBeUndefined()
    expect(err.message).toMatch(/timed out after 50 ms overall/)
    expect(isTransient(err)).toBe(true)
    expect(wecom.count(USER_GET)).toBe(1)
  })

  it('a finished call leaves no deadline behind: its signal is never aborted afterwards', async () => {
    const { wecom, client } = setup({ overallTimeoutMs: 30 })
    await client.accessToken()
    const signals: AbortSignal[] = []
    wecom.script(USER_GET, (req) => {
      signals.push(req.init!.signal!)
      return json({ errcode: 0, errmsg: 'ok', userid: 'zhangsan', name: '张三', department: [1], status: 1 })
    })
    await client.getUser('zhangsan')
    await new Promise((r) => setTimeout(r, 80))
    // A deadline that still fired would build a TimeoutError and run undici's abort for every
    // call long after it ended (AbortSignal.timeout does: thousands a sync).
    expect(signals).toHaveLength(1)
    expect(signals[0]!.aborted).toBe(false)
  })

  it('HTTP 502 → status, transient', async () => {
    const { wecom, client } = setup()
    wecom.script(GETTOKEN, new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }))
    const err = (await caught(client.accessToken())) as WeComTransportError
    expect(err).toBeInstanceOf(WeComTransportError)
    expect(err).toMatchObject({ status: 502, failure: 'http', path: GETTOKEN })
    expect(err.message).toContain('HTTP 502')
    expect(isTransient(err)).toBe(true)
    expect(wecom.count(GETTOKEN)).toBe(1)
  })

  it('HTTP 403 from a proxy is not transient', async () => {
    const { wecom, client } = setup()
    wecom.script(GETTOKEN, new Response('denied', { status: 403 }))
    const err = (await caught(client.accessToken())) as WeComTransportError
    expect(err.status).toBe(403)
    expect(isTransient(err)).toBe(false)
  })

  it('non-JSON 200 body', async () => {
    const { wecom, client } = setup()
    await client.accessToken()
    wecom.script(USER_GET, new Response('<html>captive portal</html>', { status: 200 }))
    const err = (await caught(client.getUser('zhangsan'))) as WeComTransportError
    expect(err).toBeInstanceOf(WeComTransportError)
    expect(err).toMatchObject({ failure: 'body', status: 200, path: USER_GET })
    expect(err.cause).toBeInstanceOf(SyntaxError)
  })

  it('JSON that is not an object', async () => {
    const { wecom, client } = setup()
    wecom.script(GETTOKEN, json([1, 2]))
    const err = await caught(client.accessToken())
    expect(err).toMatchObject({ failure: 'body' })
  })

  it('network error keeps the cause and is transient', async () => {
    const { wecom, client } = setup()
    const cause = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3100'), { code: 'ECONNREFUSED' }) })
    wecom.script(GETTOKEN, cause)
    const err = (await caught(client.accessToken())) as WeComTransportError
    expect(err).toMatchObject({ failure: 'network', path: GETTOKEN })
    expect(err.message).toContain('ECONNREFUSED')
    expect(err.cause).toBe(cause)
    expect(isTransient(err)).toBe(true)
  })
})

describe('isTransient', () => {
  it.each([
    [-1, true],
    [45009, true],
    [45033, true],
    [6000, true],
    [42001, false],
    [60020, false],
    [40029, false],
  ])('errcode %i → %s', (errcode, transient) => {
    expect(isTransient(new WeComError({ errcode, errmsg: '', path: '/x' }))).toBe(transient)
  })

  it('transport errors: network/timeout/5xx yes; 4xx and bad bodies no; anything else no', () => {
    const t = (failure: 'network' | 'timeout' | 'http' | 'body', status?: number) =>
      isTransient(new WeComTransportError({ path: '/x', failure, status, message: 'x' }))
    expect(t('network')).toBe(true)
    expect(t('timeout')).toBe(true)
    expect(t('http', 503)).toBe(true)
    expect(t('http', 429)).toBe(true)
    expect(t('http', 404)).toBe(false)
    expect(t('body', 200)).toBe(false)
    expect(isTransient(new Error('x'))).toBe(false)
    expect(isTransient(undefined)).toBe(false)
  })
})
