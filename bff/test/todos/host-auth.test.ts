import * as crypto from 'node:crypto'
import { Hono } from 'hono'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Config } from '../../src/config'
import { ApiFailure } from '../../src/errors'
import { createLogger } from '../../src/log'
import { createHostKeyMatcher, parseBearer, requireHost, type HostEnv } from '../../src/todos/host-auth'

// Spy on the comparison to see how often, and on what, it runs.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) }
})
const compare = vi.mocked(crypto.timingSafeEqual)
afterEach(() => compare.mockClear())

const KEYS = [
  { name: 'oa', key: 'oa-key-0123456789abcdefghijkl' },
  { name: 'crm', key: 'crm-key-ZYXWVUTSRQPONMLKJIHGF' },
  { name: 'hr', key: 'hr-key-!#$%&()*+-./:;<=>?@[]^' },
]

describe('parseBearer', () => {
  it('rejects anything but one Bearer token', () => {
    for (const h of [undefined, '', 'Bearer', 'Bearer ', `Basic ${KEYS[0]!.key}`, `${KEYS[0]!.key}`, 'Bearer a b', 'Bearer\ta', 'Bearer ключ']) {
      expect(parseBearer(h), String(h)).toBeUndefined()
    }
  })

  it('takes the token, whatever the scheme\'s case, including characters a key may hold', () => {
    expect(parseBearer('Bearer abc')).toBe('abc')
    expect(parseBearer('bearer  abc ')).toBe('abc')
    expect(parseBearer(`Bearer ${KEYS[2]!.key}`)).toBe(KEYS[2]!.key)
  })
})

describe('createHostKeyMatcher', () => {
  const match = createHostKeyMatcher(KEYS)

  it('rejects near misses: prefixes, extensions, case changes, other hosts\' names', () => {
    const k = KEYS[0]!.key
    for (const candidate of ['', k.slice(0, -1), k.slice(0, 8), `${k}x`, k.toUpperCase(), ` ${k}`, 'oa', KEYS[0]!.name + ':' + k]) {
      expect(match(candidate), JSON.stringify(candidate)).toBeUndefined()
    }
  })

  it('names the host whose key it is', () => {
    expect(KEYS.map((k) => match(k.key))).toEqual(['oa', 'crm', 'hr'])
  })

  it('compares against every key, on fixed-length digests, whether or not and wherever it matches', () => {
    for (const candidate of [KEYS[0]!.key, KEYS[2]!.key, 'short', 'x'.repeat(500)]) {
      compare.mockClear()
      match(candidate)
      expect(compare, candidate).toHaveBeenCalledTimes(KEYS.length)
      for (const [a, b] of compare.mock.calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32])
    }
  })

  it('matches nothing when no key is configured', () => {
    expect(createHostKeyMatcher([])('anything')).toBeUndefined()
  })
})

describe('requireHost', () => {
  const lines: string[] = []
  const app = new Hono<HostEnv>()
    .use('*', async (c, next) => {
      c.set('requestId', 'r1')
      await next()
    })
    .get('/h', requireHost({ config: { hostApiKeys: KEYS } as Config, log: createLogger({ level: 'debug', write: (l) => lines.push(l) }) }), (c) => c.text(c.get('host')))
  app.onError((e, c) => c.json({ code: e instanceof ApiFailure ? e.code : 'internal' }, e instanceof ApiFailure && e.code === 'unauthenticated' ? 401 : 500))
  const get = (authorization?: string) => app.request('/h', authorization ? { headers: { authorization } } : {})

  it('answers 401 with a Bearer challenge, invalid_token only when a credential was sent, and never logs it', async () => {
    const missing = await get()
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm="[^"]+"$/)
    const wrong = await get('Bearer not-a-configured-key-000000000')
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/)
    expect((await get(`Basic ${KEYS[1]!.key}`)).status).toBe(401)
    const logged = lines.join('\n')
    expect(logged).toContain('unknown key')
    expect(logged).not.toContain('not-a-configured-key')
    expect(logged).not.toContain(KEYS[1]!.key)
  })

  it('lets a configured key through as its host', async () => {
    const res = await get(`Bearer ${KEYS[1]!.key}`)
    expect([res.status, await res.text()]).toEqual([200, 'crm'])
  })
})
