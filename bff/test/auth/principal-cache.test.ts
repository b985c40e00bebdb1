import { describe, expect, it } from 'vitest'
import { PrincipalCache, type Principal } from '../../src/auth/principal-cache'

const principal = (userid: string): Principal => ({
  session: { userid, corpId: 'ww1', createdAt: new Date(0), idleExpiresAt: new Date(1e13), absoluteExpiresAt: new Date(1e13) },
  member: { userid, name: userid, position: '', departments: [], directLeaders: [], status: 1 },
  roles: ['member'],
  departmentNames: new Map(),
  touchedAt: 0,
})

describe('PrincipalCache', () => {
  it('forgets entries after the TTL', () => {
    const c = new PrincipalCache(5_000)
    c.set('k', principal('a'), 1_000)
    expect(c.get('k', 6_000)?.member.userid).toBe('a')
    expect(c.get('k', 6_001)).toBeUndefined()
  })

  it('evicts the oldest entry past its size limit', () => {
    const c = new PrincipalCache(5_000, 2)
    c.set('a', principal('a'), 0)
    c.set('b', principal('b'), 0)
    c.set('c', principal('c'), 0)
    expect([c.get('a', 0), c.get('b', 0)?.member.userid, c.get('c', 0)?.member.userid]).toEqual([undefined, 'b', 'c'])
  })

  it('forgets one session, or every session of some members', () => {
    const c = new PrincipalCache()
    c.set('s1', principal('a'), 0)
    c.set('s2', principal('a'), 0)
    c.set('s3', principal('b'), 0)
    c.forget('s3')
    expect(c.get('s3', 0)).toBeUndefined()
    c.set('s4', principal('c'), 0)
    c.forgetMembers(['a', 'c'])
    expect([c.get('s1', 0), c.get('s2', 0), c.get('s4', 0)]).toEqual([undefined, undefined, undefined])
    c.set('s5', principal('b'), 0)
    c.forgetMembers(['x'])
    expect(c.get('s5', 0)?.member.userid).toBe('b')
  })

  it('shares one load among concurrent callers, and caches what it loaded', async () => {
    const c = new PrincipalCache()
    let loads = 0
    let finish!: (p: Principal) => void
    const loader = () => (loads++, new Promise<Principal>((r) => (finish = r)))
    const waiting = Array.from({ length: 100 }, () => c.load('s', 0, loader))
    finish(principal('a'))
    expect((await Promise.all(waiting)).every((p) => p.member.userid === 'a')).toBe(true)
    expect(loads).toBe(1)
    expect(c.get('s', 0)?.member.userid).toBe('a')
  })

  it('passes a failed load to every caller, caches nothing, and loads again next time', async () => {
    const c = new PrincipalCache()
    const failing = () => Promise.reject(new Error('gone'))
    const results = await Promise.allSettled([c.load('s', 0, failing), c.load('s', 0, failing)])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(c.get('s', 0)).toBeUndefined()
    expect((await c.load('s', 0, async () => principal('b'))).member.userid).toBe('b')
  })

  it('does not cache a load that an eviction overtook (a revocation wins)', async () => {
    for (const evict of [(c: PrincipalCache) => c.forget('s'), (c: PrincipalCache) => c.forgetMembers(['a']), (c: PrincipalCache) => c.clear()]) {
      const c = new PrincipalCache()
      let finish!: (p: Principal) => void
      const loading = c.load('s', 0, () => new Promise<Principal>((r) => (finish = r)))
      evict(c)
      // A caller after the eviction does not join the stale load.
      const again = c.load('s', 0, async () => principal('fresh'))
      finish(principal('a'))
      await loading
      expect((await again).member.userid).toBe('fresh')
      expect(c.get('s', 0)?.member.userid).toBe('fresh')
    }
  })
})
