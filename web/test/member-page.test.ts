import { describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import type { Router } from 'vue-router'
import MemberActions from '../src/components/member/MemberActions.vue'
import { fakeDirectoryFetch, sampleDetail } from './directory-fixtures'
import { mountRoutes } from './route-mount'
import { usePageEnv } from './page-env'

let wrapper: VueWrapper | undefined
let router: Router
const fetchMock = usePageEnv(() => {
  wrapper?.unmount()
  wrapper = undefined
})

async function open(url: string): Promise<VueWrapper> {
  ;({ wrapper, router } = await mountRoutes(url))
  return wrapper
}

const lisi = sampleDetail({ userid: 'lisi', name: '李四', alias: undefined, position: '研发总监', directLeaders: [] })

describe('MemberPage: failures first', () => {
  it('an unknown or disabled member (404) gets its own state, not an error', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ details: {} }))
    const w = await open('/contacts/members/ghost')
    expect(w.find('[data-test="member-not-found"]').text()).toContain('成员不存在或已停用')
    expect(w.text()).not.toContain('加载失败')
  })

  it('a failed load offers a retry that loads the card', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    fetchMock.mockImplementation(fakeDirectoryFetch({ details: { zhangsan: sampleDetail() } }))
    const w = await open('/contacts/members/zhangsan')
    expect(w.text()).toContain('加载失败')
    await w.find('.load-error__button').trigger('click')
    await flushPromises()
    expect(w.find('h1').text()).toContain('张三')
  })

  it('no contact data (most post-2022 apps): no call/email buttons, no chat, a short note instead', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ details: { zhangsan: sampleDetail() } }))
    const w = await open('/contacts/members/zhangsan')
    expect(w.find('[data-test="member-actions"]').exists()).toBe(false)
    expect(w.find('[data-test="action-chat"]').exists()).toBe(false)
    expect(w.find('[data-test="contact-rows"]').exists()).toBe(false)
    expect(w.find('[data-test="no-contact"]').text()).toContain('企业微信未向本应用提供')
    expect(w.find('a[href^="tel:"]').exists()).toBe(false)
    expect(w.find('a[href^="mailto:"]').exists()).toBe(false)
  })
})

describe('MemberPage', () => {
  it('shows call and email only for the data that exists; chat stays hidden while canChat is false', async () => {
    const detail = sampleDetail({ mobile: '+86 138-0013-8000', bizMail: 'zhangsan@corp.example.cn', gender: 'male' })
    fetchMock.mockImplementation(fakeDirectoryFetch({ details: { zhangsan: detail } }))
    const w = await open('/contacts/members/zhangsan')
    expect(w.find('[data-test="action-call"]').attributes('href')).toBe('tel:+8613800138000')
    expect(w.find('[data-test="action-email"]').attributes('href')).toBe('mailto:zhangsan@corp.example.cn')
    expect(w.find('[data-test="action-chat"]').exists()).toBe(false)
    expect(w.find('[data-test="contact-mobile"]').attributes('href')).toBe('tel:+8613800138000')
    expect(w.find('[data-test="contact-telephone"]').exists()).toBe(false)
    expect(w.find('[data-test="no-contact"]').exists()).toBe(false)

    w.unmount()
    fetchMock.mockImplementation(fakeDirectoryFetch({ details: { zhangsan: sampleDetail({ telephone: '021-5555 1234' }) } }))
    const w2 = await open('/contacts/members/zhangsan')
    expect(w2.find('[data-test="action-call"]').attributes('href')).toBe('tel:02155551234')
    expect(w2.find('[data-test="action-email"]').exists()).toBe(false)
  })

  it('shows name, alias, position, department paths with the leader tag, and links to leaders', async () => {
    fetchMock.mockImplementation(fakeDirectoryFetch({ details: { zhangsan: sampleDetail(), lisi } }))
    const w = await open('/contacts/members/zhangsan')
    expect(w.find('h1').text()).toBe('张三')
    expect(w.find('[data-test="alias"]').text()).toBe('Sam')
    expect(w.text()).toContain('前端负责人')
    const depts = w.find('[data-test="member-departments"]')
    expect(depts.text()).toContain('星河科技有限公司 / 研发中心 / 平台研发部 /')
    expect(depts.findAll('[data-test="dept-leader-tag"]')).toHaveLength(1)
    expect(depts.find('a').attributes('href')).toBe('/contacts/departments/8')

    await w.find('[data-test="leader-link"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/contacts/members/lisi')
    expect(w.find('h1').text()).toBe('李四')
    expect(w.find('[data-test="direct-leaders"]').exists()).toBe(false)

    // Back to 张三: from the cache, no new request.
    const calls = fetchMock.mock.calls.length
    await router.push('/contacts/members/zhangsan')
    await flushPromises()
    expect(w.find('h1').text()).toBe('张三')
    expect(fetchMock.mock.calls.length).toBe(calls)
  })
})

describe('MemberActions', () => {
  it('shows 发消息 only with canChat and emits chat', async () => {
    const hidden = mount(MemberActions, { props: { member: sampleDetail(), canChat: false } })
    expect(hidden.find('[data-test="action-chat"]').exists()).toBe(false)
    expect(hidden.html()).not.toContain('发消息')

    const shown = mount(MemberActions, { props: { member: sampleDetail(), canChat: true } })
    const chat = shown.find('[data-test="action-chat"]')
    expect(chat.text()).toContain('发消息')
    await chat.trigger('click')
    expect(shown.emitted('chat')).toHaveLength(1)
    expect(shown.find('[data-test="action-call"]').exists()).toBe(false)
  })

  it('ignores contact values that cannot make a working link', () => {
    const w = mount(MemberActions, { props: { member: sampleDetail({ mobile: '—', email: 'not an email' }), canChat: false } })
    expect(w.find('[data-test="member-actions"]').exists()).toBe(false)
  })
})
