import { describe, expect, it, vi } from 'vitest'
import { createSignatureCache } from '../src/lib/signature-cache'

describe('signature cache', () => {
  it('forgets a failed request so the next call asks again', async () => {
    const fetch = vi.fn<(url: string) => Promise<string>>().mockRejectedValueOnce(new Error('down')).mockResolvedValue('sig')
    const get = createSignatureCache(fetch)
    await expect(get('u')).rejects.toThrow('down')
    await expect(get('u')).resolves.toBe('sig')
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('expires: a signature is only as fresh as its ticket', async () => {
    let now = 0
    const fetch = vi.fn(async (url: string) => `sig:${url}:${now}`)
    const get = createSignatureCache(fetch, { ttlMs: 1000, now: () => now })
    await get('u')
    now = 999
    await expect(get('u')).resolves.toBe('sig:u:0')
    now = 1000
    await expect(get('u')).resolves.toBe('sig:u:1000')
  })

  it('shares one request per URL and keeps only the latest URL', async () => {
    const fetch = vi.fn(async (url: string) => `sig:${url}`)
    const get = createSignatureCache(fetch)
    await Promise.all([get('a'), get('a'), get('a')])
    await get('b')
    await get('a')
    expect(fetch.mock.calls).toEqual([['a'], ['b'], ['a']])
  })
})
