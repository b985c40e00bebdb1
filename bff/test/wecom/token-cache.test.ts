import { describe, expect, it } from 'vitest'
import { createTokenCache, createWeComClient, WeComTransportError, type TokenCache } from '../../src/wecom'
import { CORP_ID, SECRET, fakeWeCom } from './fake-wecom'

const API = 'https://qyapi.weixin.qq.com'
const GETTOKEN = '/cgi-bin/gettoken'

function setup(tokens: TokenCache = createTokenCache(), extra: { secret?: string; apiBase?: string } = {}) {
  const wecom = fakeWeCom()
  let clock = 1_700_000_000_000
  const client = createWeComClient({
    apiBase: extra.apiBase ?? API,
    corpId: CORP_ID,
    secret: extra.secret ?? SECRET,
    tokens,
    fetch: wecom.fetch,
    now: () => clock,
  })
  return { wecom, client, tokens, tick: (ms: number) => (clock += ms) }
}

describe('token cache: failures', () => {
  it('a failed gettoken rejects every waiter, caches nothing, and the next call tries again', async () => {
    const { wecom, client } = setup()
    wecom.script(GETTOKEN, new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }))
    const held = wecom.holdTokens()
    const waiters = Array.from({ length: 50 }, () => client.accessToken())
    held.release()
    const results = await Promise.allSettled(waiters)
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof WeComTransportError)).toBe(true)
    expect(wecom.count(GETTOKEN)).toBe(1)

    const token = await client.accessToken()
    expect(token).toBe(wecom.issued[0])
    expect(wecom.count(GETTOKEN)).toBe(2)
  })

  it('a fetchToken that throws synchronously does not wedge the key', async () => {
    const tokens = createTokenCache()
    const boom = () => {
      throw new Error('sync boom')
    }
    await expect(tokens.get('k', () => 0, boom)).rejects.toThrow('sync boom')
    await expect(tokens.get('k', () => 0, async () => ({ accessToken: 'T', expiresInSec: 7200 }))).resolves.toBe('T')
  })

  it('invalidate drops only the token it names (a stale failure cannot evict a fresh token)', async () => {
    const tokens = createTokenCache()
    await tokens.get('k', () => 0, async () => ({ accessToken: 'T1', expiresInSec: 7200 }))
    expect(tokens.invalidate('k', 'T0')).toBe(false)
    expect(tokens.invalidate('k', 'T1')).toBe(true)
    expect(tokens.invalidate('k', 'T1')).toBe(false)
  })

  it('a fetch in flight during clear() does not repopulate the cache', async () => {
    const tokens = createTokenCache()
    let resolve!: (v: { accessToken: string; expiresInSec: number }) => void
    const p = tokens.get('k', () => 0, () => new Promise((r) => (resolve = r)))
    tokens.clear()
    await Promise.resolve() // fetchToken starts on a microtask
    resolve({ accessToken: 'OLD', expiresInSec: 7200 })
    await expect(p).resolves.toBe('OLD')
    await expect(tokens.get('k', () => 0, async () => ({ accessToken: 'NEW', expiresInSec: 7200 }))).resolves.toBe('NEW')
  })
})

describe('token cache: single flight and expiry', () => {
  it('1,000 concurrent callers on a cold cache cause exactly one gettoken', async () => {
    const { wecom, client } = setup()
    const held = wecom.holdTokens()
    const waiters = Array.from({ length: 1000 }, () => client.accessToken())
    held.release()
    const got = await Promise.all(waiters)
    expect(wecom.count(GETTOKEN)).toBe(1)
    expect(new Set(got)).toEqual(new Set([wecom.issued[0]]))
  })

  it('1,000 concurrent API calls on a cold cache share one gettoken', async () => {
    const { wecom, client } = setup()
    await Promise.all(Array.from({ length: 1000 }, (_, i) => client.get('/cgi-bin/echo', { i })))
    expect(wecom.count(GETTOKEN)).toBe(1)
    expect(wecom.count('/cgi-bin/echo')).toBe(1000)
  })

  it('reuses the token until refreshBeforeMs before expiry, then refreshes', async () => {
    const { wecom, client, tick } = setup(createTokenCache({ refreshBeforeMs: 5 * 60_000 }))
    const first = await client.accessToken()
    tick(7200_000 - 5 * 60_000 - 1)
    expect(await client.accessToken()).toBe(first)
    expect(wecom.count(GETTOKEN)).toBe(1)
    tick(1)
    const second = await client.accessToken()
    expect(second).not.toBe(first)
    expect(wecom.count(GETTOKEN)).toBe(2)
  })

  it('defaults to refreshing 5 minutes early', async () => {
    const { wecom, client, tick } = setup()
    await client.accessToken()
    tick(7200_000 - 5 * 60_000)
    await client.accessToken()
    expect(wecom.count(GETTOKEN)).toBe(2)
  })

  it('a short-lived token is still reused for half its life instead of being stale on arrival', async () => {
    const { wecom, client, tick } = setup()
    wecom.expiresIn = 60
    const first = await client.accessToken()
    tick(29_999)
    expect(await client.accessToken()).toBe(first)
    tick(1)
    await client.accessToken()
    expect(wecom.count(GETTOKEN)).toBe(2)
  })

  it('caches separately per secret and per apiBase, and shares between clients with the same key', async () => {
    const tokens = createTokenCache()
    const shared = fakeWeCom({ secrets: { [CORP_ID]: SECRET } })
    const mk = (apiBase: string, secret: string) =>
      createWeComClient({ apiBase, corpId: CORP_ID, secret, tokens, fetch: shared.fetch, now: () => 0 })
    shared.secrets.set(CORP_ID, SECRET)
    const a1 = await mk(API, SECRET).accessToken()
    const a2 = await mk(`${API}/`, SECRET).accessToken() // trailing slash: same base
    expect(a2).toBe(a1)
    expect(shared.count(GETTOKEN)).toBe(1)

    const viaProxy = await mk('http://egress.example.com:8080/wecom', SECRET).accessToken()
    expect(viaProxy).not.toBe(a1)
    expect(shared.count(GETTOKEN)).toBe(2)

    // another app of the same corp (contact-sync secret) has its own token
    const otherSecret = 'contact-sync-secret-7Hq2'
    shared.secrets.set(CORP_ID, otherSecret)
    const contact = await mk(API, otherSecret).accessToken()
    expect(contact).not.toBe(a1)
    expect(shared.count(GETTOKEN)).toBe(3)
  })
})
