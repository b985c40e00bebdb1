import { describe, expect, it } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { MyContact } from '@portal/shared'
import { useSessionStore } from '../src/stores/session'
import { fakeDirectoryFetch, sampleDetail } from './directory-fixtures'
import { jsonResponse, sampleMe } from './fixtures'
import { mountRoutes } from './route-mount'
import { usePageEnv } from './page-env'
import { eventually } from './wait'

let wrapper: VueWrapper | undefined
const fetchMock = usePageEnv(() => {
  wrapper?.unmount()
  wrapper = undefined
})

/** /api/me and /api/me/contact as the BFF answers them; records the contact calls made. */
function fakeMe(contact: MyContact, calls: string[] = []) {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const p = new URL(String(input), 'http://localhost').pathname
    if (p.endsWith('/api/me')) return jsonResponse(200, sampleMe())
    if (p.includes('/api/me/contact')) {
      calls.push(`${init?.method ?? 'GET'} ${p}`)
      if (p.endsWith('/dismiss')) return jsonResponse(200, { ...contact, prompt: false })
      if (init?.method === 'DELETE') return jsonResponse(200, { ...contact, prompt: false, contact: null })
      return jsonResponse(200, contact)
    }
    return jsonResponse(404, { error: { code: 'not_found', message: p } })
  }
}

async function openMe(): Promise<VueWrapper> {
  const mounted = await mountRoutes('/me')
  wrapper = mounted.wrapper
  await useSessionStore().load()
  await flushPromises()
  await flushPromises()
  return wrapper
}

describe('我的: the one-time offer to share contact details', () => {
  it('shows nothing when the setting is off, or the contact endpoint fails', async () => {
    fetchMock.mockImplementation(fakeMe({ enabled: false, prompt: false, contact: null }))
    expect((await openMe()).find('[data-test="contact-prompt"]').exists()).toBe(false)
    wrapper!.unmount()
    fetchMock.mockImplementation(async (input) => (String(input).includes('/api/me/contact') ? jsonResponse(500, { error: { code: 'internal', message: 'x' } }) : jsonResponse(200, sampleMe())))
    const w = await openMe()
    expect(w.find('[data-test="contact-prompt"]').exists()).toBe(false)
    expect(w.text()).toContain('个人资料')
  })

  it('不用了 dismisses it through the API and it goes away', async () => {
    const calls: string[] = []
    fetchMock.mockImplementation(fakeMe({ enabled: true, prompt: true, contact: null }, calls))
    const w = await openMe()
    await eventually(() => expect(w.find('[data-test="contact-prompt"]').text()).toContain('补充联系方式'))
    await w.find('[data-test="contact-dismiss"]').trigger('click')
    await flushPromises()
    expect(calls).toContain('POST /api/me/contact/dismiss')
    expect(w.find('[data-test="contact-prompt"]').exists()).toBe(false)
  })

  it('lists what the member shared, without the prompt', async () => {
    fetchMock.mockImplementation(fakeMe({ enabled: true, prompt: false, contact: { mobile: '13900000001', email: 'lisi@example.com', address: '深圳市南山区', consentedAt: '2026-12-01T00:00:00.000Z' } }))
    const w = await openMe()
    await eventually(() => expect(w.find('[data-test="my-contact-mobile"]').text()).toContain('13900000001'))
    expect(w.find('[data-test="contact-prompt"]').exists()).toBe(false)
    expect(w.find('[data-test="my-contact-address"]').text()).toContain('深圳市南山区')
    expect(w.find('[data-test="contact-withdraw"]').exists()).toBe(true)
  })
})

describe('member card: details the member shared', () => {
  it('shows the address and marks shared fields 本人提供; directory fields stay unmarked', async () => {
    const detail = sampleDetail({ userid: 'lisi', name: '李四', mobile: '13900000001', email: 'lisi@example.com', address: '深圳市南山区', consented: ['email', 'address'] })
    fetchMock.mockImplementation(fakeDirectoryFetch({ details: { lisi: detail } }))
    wrapper = (await mountRoutes('/contacts/members/lisi')).wrapper
    const rows = wrapper.find('[data-test="contact-rows"]')
    expect(rows.find('[data-test="contact-address"]').text()).toContain('深圳市南山区')
    expect(rows.find('[data-test="contact-email"]').text()).toContain('本人提供')
    expect(rows.find('[data-test="contact-mobile"]').text()).not.toContain('本人提供')
  })
})
