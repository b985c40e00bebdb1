import { describe, expect, it, vi } from 'vitest'
import { fetchDepartmentMembers, fetchDepartmentTree, fetchMember, searchMembers } from '../src/api/directory'
import { useDirectoryStore } from '../src/stores/directory'
import { jsonResponse } from './fixtures'
import { fakeDirectoryFetch, sampleDetail, sampleMembers, sampleTree } from './directory-fixtures'
import { caught, useApiEnv } from './api-env'

const fetchMock = useApiEnv()

const urlOf = (call: number) => String(fetchMock.mock.calls[call]![0])

describe('directory api: bad answers are errors, never data', () => {
  it('rejects a tree whose nested child is malformed', async () => {
    const tree = sampleTree()
    // Deep inside: a child with a string id.
    ;(tree.roots[0]!.children[0]!.children[0] as unknown as { id: unknown }).id = '5'
    fetchMock.mockResolvedValue(jsonResponse(200, tree))
    expect((await caught(fetchDepartmentTree())).code).toBe('invalid_response')
  })

  it('rejects a member page without nextCursor, and a search without total', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { items: [], total: 0 }))
    expect((await caught(fetchDepartmentMembers(8))).code).toBe('invalid_response')
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { items: sampleMembers(1) }))
    expect((await caught(searchMembers('zs'))).code).toBe('invalid_response')
  })

  it('rejects a member card with an unknown gender value or HTML instead of JSON', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { ...sampleDetail(), gender: '1' }))
    expect((await caught(fetchMember('zhangsan'))).code).toBe('invalid_response')
    fetchMock.mockResolvedValueOnce(new Response('<html>login</html>', { status: 200 }))
    expect((await caught(fetchMember('zhangsan'))).code).toBe('invalid_response')
  })

  it('maps 404 on a member to not_found', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(404, { error: { code: 'not_found', message: 'no such member' } }))
    const e = await caught(fetchMember('ghost'))
    expect(e).toMatchObject({ status: 404, code: 'not_found' })
  })
})

describe('directory api: requests', () => {
  it('builds paths and queries, encoded, under the runtime base', async () => {
    window.__PORTAL_BASE__ = '/portal/'
    fetchMock.mockImplementation(fakeDirectoryFetch({ details: { 'wang/wu': sampleDetail({ userid: 'wang/wu' }) } }))
    await fetchDepartmentMembers(8, { cursor: 'c:2&x', limit: 100 })
    await searchMembers('张 三', { limit: 50 })
    await fetchMember('wang/wu')
    await fetchDepartmentMembers(9)
    expect(urlOf(0)).toBe('/portal/api/directory/departments/8/members?cursor=c%3A2%26x&limit=100')
    expect(urlOf(1)).toBe('/portal/api/directory/search?q=%E5%BC%A0+%E4%B8%89&limit=50')
    expect(urlOf(2)).toBe('/portal/api/directory/members/wang%2Fwu')
    expect(urlOf(3)).toBe('/portal/api/directory/departments/9/members')
  })
})

describe('directory store', () => {
  it('a 401 from any directory call goes to sign-in with the open page as returnTo', async () => {
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => {})
    history.replaceState(null, '', '/contacts/departments/8?x=1')
    fetchMock.mockResolvedValue(jsonResponse(401, { error: { code: 'unauthenticated', message: 'session ended' } }))
    const store = useDirectoryStore()
    await store.loadTree()
    expect(assign).toHaveBeenCalledWith('/auth/login?returnTo=%2Fcontacts%2Fdepartments%2F8%3Fx%3D1')
    history.replaceState(null, '', '/')
  })

  it('keeps pages it already has when a later page fails, and retries from the same cursor', async () => {
    const fake = fakeDirectoryFetch({ members: { 8: sampleMembers(250) } })
    fetchMock.mockImplementation(fake)
    const store = useDirectoryStore()
    await store.ensureMembers(8)
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await store.loadMoreMembers(8)
    expect(store.memberList(8)).toMatchObject({ status: 'error', nextCursor: '100' })
    expect(store.memberList(8)!.items).toHaveLength(100)
    expect(store.memberList(8)!.error!.code).toBe('network')

    await store.loadMoreMembers(8)
    expect(urlOf(2)).toContain('cursor=100')
    expect(store.memberList(8)).toMatchObject({ status: 'ready', nextCursor: '200', total: 250 })
    expect(store.memberList(8)!.items).toHaveLength(200)
  })

  it('never lists a person twice when a sync shifts the pages between two loads', async () => {
    const members = sampleMembers(150)
    fetchMock.mockImplementation(fakeDirectoryFetch({ members: { 8: members } }))
    const store = useDirectoryStore()
    await store.ensureMembers(8)
    // Someone joins at the top: the next offset page starts one row earlier than before.
    members.unshift({ ...members[0]!, userid: 'newcomer', name: '新同事' })
    await store.loadMoreMembers(8)
    const ids = store.memberList(8)!.items.map((m) => m.userid)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toHaveLength(150)
  })

  it('caches the tree and member pages: coming back makes no request', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ members: { 8: sampleMembers(30) } }))
    const store = useDirectoryStore()
    await Promise.all([store.ensureTree(), store.ensureTree(), store.ensureMembers(8)])
    await store.ensureMembers(8)
    await store.ensureTree()
    await store.loadMoreMembers(8) // already complete
    expect(fetchMock).toHaveBeenCalledTimes(2)
    expect(store.departments.get(8)!.ancestors.map((d) => d.name)).toEqual(['星河科技有限公司', '研发中心', '平台研发部'])
  })

  it('an old search answer never overwrites a newer one', async () => {
    let releaseFirst!: (r: Response) => void
    fetchMock
      .mockImplementationOnce(() => new Promise<Response>((r) => (releaseFirst = r)))
      .mockImplementationOnce(fakeDirectoryFetch({ search: { zs: sampleMembers(1) } }))
    const store = useDirectoryStore()
    const first = store.runSearch('z')
    await store.runSearch('zs')
    releaseFirst(jsonResponse(200, { items: sampleMembers(5), total: 5 }))
    await first
    expect(store.search).toMatchObject({ query: 'zs', status: 'ready', total: 1 })
    expect(fetchMock.mock.calls[0]![1]!.signal!.aborted).toBe(true)
  })
})
