import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import { useI18n } from '../src/i18n/use-i18n'
import { MEMBER_PAGE_SIZE } from '../src/stores/directory'
import { jsonResponse } from './fixtures'
import { fakeDirectoryFetch, sampleMembers, sampleTree } from './directory-fixtures'
import { mountRoutes } from './route-mount'

const ROW = 64
const fetchMock = vi.fn<typeof fetch>()
let wrapper: VueWrapper | undefined
let router: Router
let listTop = 0

beforeEach(() => {
  useI18n().setLang('zh')
  vi.stubGlobal('fetch', fetchMock)
  vi.stubGlobal('innerHeight', 800)
  window.__PORTAL_BASE__ = undefined
  listTop = 0
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const top = this.classList.contains('virtual-list') ? listTop : 0
    return { top, bottom: top, left: 0, right: 0, width: 0, height: 0, x: 0, y: top, toJSON: () => ({}) } as DOMRect
  })
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  fetchMock.mockReset()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  useI18n().setLang('auto')
})

async function open(url: string): Promise<VueWrapper> {
  ;({ wrapper, router } = await mountRoutes(url))
  return wrapper
}

/** Scrolls the page so the list's row `row` is at the top of the viewport. */
async function scrollToRow(row: number): Promise<void> {
  listTop = -row * ROW
  window.dispatchEvent(new Event('scroll'))
  await flushPromises()
}

const memberCalls = () => fetchMock.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/members'))

describe('DepartmentPage: failures first', () => {
  it('a tree that fails to load shows the error state; retry loads the page', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ members: { 8: sampleMembers(3) } }))
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    const w = await open('/contacts/departments/8')
    expect(w.text()).toContain('加载失败')
    expect(w.text()).toContain('网络连接不稳定')
    await w.find('.load-error__button').trigger('click')
    await flushPromises()
    expect(w.find('[data-test="breadcrumbs"]').exists()).toBe(true)
    expect(w.findAll('[data-test="member-cell"]')).toHaveLength(3)
  })

  it('an id outside the visible tree says so and links back to the directory', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({}))
    const w = await open('/contacts/departments/999')
    expect(w.find('[data-test="department-not-found"]').text()).toContain('找不到这个部门')
    expect(w.text()).toContain('返回通讯录')
  })

  it('a first member page that fails offers a retry in place, keeping the breadcrumbs', async () => {
    const fake = fakeDirectoryFetch({ members: { 8: sampleMembers(3) } })
    fetchMock.mockImplementation(async (input) =>
      String(input).includes('/members') && memberCalls().length === 1
        ? jsonResponse(500, { error: { code: 'internal', message: 'boom' } })
        : fake(input),
    )
    const w = await open('/contacts/departments/8')
    const members = w.find('[data-test="members"]')
    expect(members.text()).toContain('服务暂时不可用')
    // The heading keeps the tree's count rather than a 0 from the failed page.
    expect(members.find('h2').text()).toBe('成员 · 250')
    expect(w.find('[data-test="breadcrumbs"]').exists()).toBe(true)
    await members.find('[data-test="notice-action"]').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-test="member-cell"]')).toHaveLength(3)
  })

  it('a later page that fails keeps the rows and retries from the footer', async () => {
    const fake = fakeDirectoryFetch({ members: { 8: sampleMembers(250) } })
    fetchMock.mockImplementation(fake)
    const w = await open('/contacts/departments/8')
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await scrollToRow(95)
    expect(w.find('[data-test="load-more-error"]').exists()).toBe(true)
    // Scrolling on does not hammer the server; the footer button retries.
    await scrollToRow(96)
    expect(memberCalls()).toHaveLength(2)
    await w.find('[data-test="load-more-error"] button').trigger('click')
    await flushPromises()
    expect(memberCalls()[2]).toContain(`cursor=${MEMBER_PAGE_SIZE}`)
    expect(w.find('[data-test="load-more-error"]').exists()).toBe(false)
  })
})

describe('DepartmentPage', () => {
  it('shows breadcrumbs from the root; each ancestor is a link, the current one is not', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ members: { 8: sampleMembers(3) } }))
    const w = await open('/contacts/departments/8')
    const crumbs = w.find('[data-test="breadcrumbs"]')
    expect(crumbs.text().replace(/\s+/g, '')).toBe('通讯录星河科技有限公司研发中心平台研发部前端组')
    const links = crumbs.findAll('a')
    expect(links.map((a) => a.attributes('href'))).toEqual(['/contacts', '/contacts/departments/1', '/contacts/departments/2', '/contacts/departments/5'])
    expect(crumbs.find('[aria-current="page"]').text()).toBe('前端组')
    expect(w.find('h1').text()).toBe('前端组')

    await links[2]!.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/contacts/departments/2')
    expect(w.find('h1').text()).toBe('研发中心')
    expect(w.find('[aria-current="page"]').text()).toBe('研发中心')
    // Sub-departments with their counts, then the direct members.
    const sub = w.findAll('[data-test="department-row"]')
    expect(sub).toHaveLength(1)
    expect(sub[0]!.text()).toContain('平台研发部')
    expect(sub[0]!.text()).toContain('253 人')
  })

  it('pages through 250 members on scroll, leader first, then says all are shown', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ members: { 8: sampleMembers(250) } }))
    const w = await open('/contacts/departments/8')
    expect(memberCalls()).toEqual([`/api/directory/departments/8/members?limit=${MEMBER_PAGE_SIZE}`])
    expect(w.find('[data-test="members"] h2').text()).toBe('成员 · 250')
    const first = w.find('[data-test="member-cell"]')
    expect(first.text()).toContain('张三')
    expect(first.find('[data-test="leader-tag"]').text()).toBe('负责人')
    expect(first.attributes('href')).toBe('/contacts/members/u8-0')

    await scrollToRow(95)
    expect(memberCalls()[1]).toBe(`/api/directory/departments/8/members?cursor=100&limit=${MEMBER_PAGE_SIZE}`)
    await scrollToRow(195)
    expect(memberCalls()).toHaveLength(3)
    expect(w.find('[data-test="list-footer"]').text()).toContain('已显示全部 250 人')

    await scrollToRow(240)
    expect(memberCalls()).toHaveLength(3)
    expect(w.text()).toContain('成员249')
    // Still windowed: a few screens of rows, not 250.
    expect(w.findAll('[data-test="member-cell"]').length).toBeLessThan(40)
  })

  it('coming back to a department shows the cached list without a request', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ members: { 8: sampleMembers(8) } }))
    const w = await open('/contacts/departments/8')
    await router.push('/contacts/departments/5')
    await flushPromises()
    await router.push('/contacts/departments/8')
    await flushPromises()
    expect(w.findAll('[data-test="member-cell"]')).toHaveLength(8)
    expect(memberCalls().filter((u) => u.includes('/8/'))).toHaveLength(1)
    expect(fetchMock.mock.calls.filter((c) => String(c[0]).endsWith('/departments'))).toHaveLength(1)
  })

  it('an empty department says nobody is directly in it', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ tree: sampleTree(), members: {} }))
    const w = await open('/contacts/departments/3')
    expect(w.find('[data-test="no-members"]').text()).toContain('本部门没有直属成员')
  })
})
