import { describe, expect, it } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter, RouterView, type Router } from 'vue-router'
import { createPinia } from 'pinia'
import { defineComponent, h } from 'vue'
import { routes } from '../src/router/routes'
import { createAdminGuard, createSessionGuard } from '../src/router/guards'
import { useSessionStore } from '../src/stores/session'
import { jsonResponse, sampleMe } from './fixtures'
import { usePageEnv } from './page-env'

let wrapper: VueWrapper | undefined
const fetchMock = usePageEnv(() => {
  wrapper?.unmount()
  wrapper = undefined
})

/** The app's routes and guards as `router/index.ts` wires them, on memory history. */
async function open(url: string): Promise<{ w: VueWrapper; router: Router }> {
  const pinia = createPinia()
  const session = useSessionStore(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  router.beforeEach(createSessionGuard({ ensureSession: () => session.ensureLoaded(), navigate: () => undefined }))
  router.beforeEach(createAdminGuard({ roles: () => session.me?.roles ?? null }))
  await router.push(url)
  await router.isReady()
  const Shell = defineComponent({ render: () => h(RouterView) })
  wrapper = mount(Shell, { global: { plugins: [router, pinia] }, attachTo: document.body })
  await flushPromises()
  await new Promise((r) => setTimeout(r, 0))
  await flushPromises()
  return { w: wrapper, router }
}

const adminCalls = () => fetchMock.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/api/admin/'))

describe('admin guard: failures first', () => {
  it('a member without the admin role gets "admins only" with a way home, not a blank console', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, sampleMe({ roles: ['member'] })))
    const { w, router } = await open('/admin/sync')
    expect(router.currentRoute.value.name).toBe('problem')
    expect(router.currentRoute.value.query.reason).toBe('admin_only')
    expect(w.text()).toContain('仅管理员可用')
    expect(w.text()).toContain('请联系管理员为你授权')
    const action = w.find('[data-test="problem-action"]')
    expect(action.text()).toBe('返回首页')
    expect(action.attributes('href')).toBe('/')
    // The console never asked the BFF for anything.
    expect(adminCalls()).toEqual([])
  })

  it('every admin page is covered, the hub included', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, sampleMe({ roles: ['member'] })))
    for (const path of ['/admin', '/admin/setup', '/admin/settings', '/admin/doctor', '/admin/roles', '/admin/embed']) {
      const { router } = await open(path)
      expect(router.currentRoute.value.query.reason, path).toBe('admin_only')
      wrapper!.unmount()
      wrapper = undefined
    }
  })

  it('with the session unknown (network error) it lets the shell show the error instead', async () => {
    const guard = createAdminGuard({ roles: () => null })
    expect(guard({ meta: { admin: true } } as never, {} as never, () => undefined)).toBe(true)
  })
})

describe('admin guard', () => {
  it('lets an admin into the console', async () => {
    fetchMock.mockImplementation(async (input) =>
      String(input).endsWith('/api/me') ? jsonResponse(200, sampleMe({ roles: ['admin', 'member'] })) : jsonResponse(200, { items: [] }),
    )
    const { router } = await open('/admin')
    expect(router.currentRoute.value.name).toBe('admin')
  })

  it('leaves member pages alone', async () => {
    const guard = createAdminGuard({ roles: () => ['member'] })
    expect(guard({ meta: {} } as never, {} as never, () => undefined)).toBe(true)
  })
})

describe('MePage: the way into the console', () => {
  it('shows 管理后台 to admins only', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, sampleMe({ roles: ['member'] })))
    const member = await open('/me')
    expect(member.w.find('[data-test="me-admin"]').exists()).toBe(false)
    wrapper!.unmount()

    fetchMock.mockImplementation(async (input) =>
      String(input).endsWith('/api/me') ? jsonResponse(200, sampleMe({ roles: ['admin', 'member'] })) : jsonResponse(200, { items: [] }),
    )
    const { w, router } = await open('/me')
    const entry = w.find('[data-test="me-admin"]')
    expect(entry.text()).toContain('管理后台')
    await entry.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('admin')
  })
})
