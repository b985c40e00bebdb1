import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { useI18n } from '../src/i18n/use-i18n'
import { fakeDirectoryFetch, sampleMembers, sampleTree } from './directory-fixtures'
import { mountRoutes } from './route-mount'

const fetchMock = vi.fn<typeof fetch>()
let wrapper: VueWrapper | undefined

beforeEach(() => {
  useI18n().setLang('zh')
  vi.stubGlobal('fetch', fetchMock)
  window.__PORTAL_BASE__ = undefined
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  fetchMock.mockReset()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  useI18n().setLang('auto')
})

async function open(): Promise<VueWrapper> {
  ;({ wrapper } = await mountRoutes('/contacts'))
  return wrapper
}

const zhangsan = sampleMembers(1)
const searchCalls = () => fetchMock.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/search'))

async function type(w: VueWrapper, text: string): Promise<void> {
  await w.find('[data-test="search-input"]').setValue(text)
}

describe('DirectoryPage: failures and empty states first', () => {
  it('not synced yet: says so instead of an empty tree, without a search box', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ tree: { roots: [], syncedAt: null } }))
    const w = await open()
    expect(w.find('[data-test="not-synced"]').text()).toContain('通讯录尚未同步')
    expect(w.find('[data-test="search-input"]').exists()).toBe(false)
  })

  it('a tree that fails to load offers a retry; search stays usable', async () => {
    fetchMock.mockResolvedValueOnce(new Response('Bad Gateway', { status: 502 }))
    fetchMock.mockImplementation(fakeDirectoryFetch({}))
    const w = await open()
    expect(w.find('[data-test="tree-error"]').text()).toContain('服务暂时不可用')
    expect(w.find('[data-test="search-input"]').exists()).toBe(true)
    await w.find('[data-test="tree-error"] button').trigger('click')
    await flushPromises()
    expect(w.find('[data-test="org-header"]').text()).toContain('星河科技有限公司')
  })

  it('a search with no match shows the empty state with the query', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ search: {} }))
    vi.useFakeTimers()
    const w = await open()
    await type(w, 'xyz')
    await vi.advanceTimersByTimeAsync(200)
    await flushPromises()
    expect(w.find('[data-test="no-results"]').text()).toContain('没有找到“xyz”')
    expect(w.find('[data-test="org-header"]').exists()).toBe(false)
  })

  it('a failed search offers a retry', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ search: { zs: zhangsan } }))
    vi.useFakeTimers()
    const w = await open()
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await type(w, 'zs')
    await vi.advanceTimersByTimeAsync(200)
    await flushPromises()
    const results = w.find('[data-test="search-results"]')
    expect(results.text()).toContain('网络连接不稳定')
    await results.find('[data-test="notice-action"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test="member-cell"]').text()).toContain('张三')
  })
})

describe('DirectoryPage', () => {
  it('shows the organization, my department shortcut is absent without a session, and sub-departments with counts', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({}))
    const w = await open()
    expect(w.find('[data-test="org-header"]').text()).toContain('共 268 人（含未激活）')
    expect(w.find('[data-test="org-header"]').attributes('href')).toBe('/contacts/departments/1')
    const rows = w.findAll('[data-test="department-row"]')
    expect(rows.map((r) => r.text().replace(/\s+/g, ''))).toEqual(['研发中心255人', '市场部12人'])
    expect(w.find('[data-test="my-department"]').exists()).toBe(false)
  })

  it('lists several roots when the visible range has several', async () => {
    const tree = sampleTree()
    fetchMock.mockImplementation(fakeDirectoryFetch({ tree: { ...tree, roots: tree.roots[0]!.children } }))
    const w = await open()
    expect(w.find('[data-test="org-header"]').exists()).toBe(false)
    expect(w.findAll('[data-test="department-row"]')).toHaveLength(2)
  })

  it('debounces typing into one request; "zs" shows 张三 (the server matches initials)', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ search: { zs: zhangsan } }))
    vi.useFakeTimers()
    const w = await open()
    await type(w, 'z')
    await vi.advanceTimersByTimeAsync(120)
    await type(w, 'zs')
    await vi.advanceTimersByTimeAsync(150)
    expect(searchCalls()).toHaveLength(0)
    // Waiting for the answer: placeholders, not "no results".
    expect(w.find('[data-test="skeleton"]').exists()).toBe(true)
    expect(w.find('[data-test="no-results"]').exists()).toBe(false)
    await vi.advanceTimersByTimeAsync(60)
    await flushPromises()
    expect(searchCalls()).toEqual(['/api/directory/search?q=zs&limit=50'])
    const cell = w.find('[data-test="member-cell"]')
    expect(cell.text()).toContain('张三')
    expect(cell.text()).toContain('前端组 · 前端负责人')
    expect(cell.attributes('href')).toBe('/contacts/members/u8-0')
    expect(w.text()).toContain('找到 1 人')
  })

  it('clearing the box returns to the tree at once and drops a pending search', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ search: { zs: zhangsan } }))
    vi.useFakeTimers()
    const w = await open()
    await type(w, 'zs')
    await vi.advanceTimersByTimeAsync(200)
    await flushPromises()
    await type(w, 'zsa')
    await w.find('[data-test="search-clear"]').trigger('click')
    await vi.advanceTimersByTimeAsync(500)
    await flushPromises()
    expect(w.find('[data-test="search-results"]').exists()).toBe(false)
    expect(w.find('[data-test="org-header"]').exists()).toBe(true)
    expect(searchCalls()).toHaveLength(1)
    expect((w.find('[data-test="search-input"]').element as HTMLInputElement).value).toBe('')
  })

  it('Enter searches without waiting for the debounce', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ search: { 张三: zhangsan } }))
    vi.useFakeTimers()
    const w = await open()
    await type(w, '张三')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(searchCalls()).toHaveLength(1)
    expect(w.find('[data-test="member-cell"]').text()).toContain('张三')
  })
})

describe('DirectoryPage: other visible members (其他可见成员)', () => {
  it('no link when everyone is in a visible department', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({}))
    const w = await open()
    expect(w.find('[data-test="org-header"]').exists()).toBe(true)
    expect(w.find('[data-test="other-members"]').exists()).toBe(false)
  })

  it('links to the people outside every visible department, who page like a department', async () => {
    const others = sampleMembers(3, 0).map((m) => ({ ...m, mainDepartment: null }))
    fetchMock.mockImplementation(fakeDirectoryFetch({ tree: sampleTree({ otherMembers: 3 }), members: { 0: others } }))
    const w = await open()
    const link = w.find('[data-test="other-members"]')
    expect(link.text()).toContain('其他可见成员')
    expect(link.text()).toContain('3 人')
    expect(link.attributes('href')).toBe('/contacts/others')
    wrapper!.unmount()
    ;({ wrapper } = await mountRoutes('/contacts/others'))
    await flushPromises()
    const page = wrapper
    expect(page.find('h1').text()).toBe('其他可见成员')
    expect(page.find('[data-test="members"] h2').text()).toBe('成员 · 3')
    expect(page.findAll('[data-test="member-cell"]').map((c) => c.text())).toEqual(others.map((m) => expect.stringContaining(m.name)))
    expect(fetchMock.mock.calls.map((c) => String(c[0])).some((u) => u.includes('/api/directory/other-members'))).toBe(true)
  })

  it('a tree of only other visible members is not "empty"', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ tree: sampleTree({ roots: [], otherMembers: 1 }), members: { 0: sampleMembers(1, 0) } }))
    const w = await open()
    expect(w.text()).not.toContain('通讯录为空')
    expect(w.find('[data-test="other-members"]').exists()).toBe(true)
  })
})
