import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { readCookie } from '../../src/auth/cookies'

const app = new Hono().get('/', (c) => c.json({ v: readCookie(c, 'wp_sid') ?? null }))
const read = async (cookie?: string) => ((await (await app.request('/', { headers: cookie ? { cookie } : {} })).json()) as { v: string | null }).v

describe('readCookie', () => {
  it('finds nothing where there is nothing', async () => {
    expect(await read()).toBeNull()
    expect(await read('other=1')).toBeNull()
    expect(await read('wp_sid=')).toBeNull()
    expect(await read('xwp_sid=forged')).toBeNull()
  })
  it('reads the whole-name cookie wherever it stands', async () => {
    expect(await read('wp_sid=abc')).toBe('abc')
    expect(await read('a=1; wp_sid=abc; b=2')).toBe('abc')
    expect(await read('a=1;wp_sid=abc')).toBe('abc')
    expect(await read('xwp_sid=forged; wp_sid=real')).toBe('real')
  })
})
