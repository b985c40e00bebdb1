import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { createPinia, setActivePinia } from 'pinia'
import { defineComponent } from 'vue'
import { createSessionGuard, preloadRouteComponents } from '../src/router/guards'
import { useSessionStore, type SessionStatus } from '../src/stores/session'
import { jsonResponse, sampleMe } from './fixtures'

const Empty = defineComponent({ render: () => null })

function makeRouter(ensureSession: () => Promise<SessionStatus>): Router {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'home', component: Empty },
      { path: '/me', name: 'me', component: Empty },
      { path: '/login', name: 'login', component: Empty, meta: { public: true } },
      { path: '/problem', name: 'problem', component: Empty, meta: { public: true } },
    ],
  })
  router.beforeEach(createSessionGuard({ ensureSession }))
  return router
}

let assign: Mock<(url: string | URL) => void>

beforeEach(() => {
  assign = vi.fn<(url: string | URL) => void>()
  // Full-page navigations go through location.assign; record them instead of leaving the page.
  vi.spyOn(window.location, 'assign').mockImplementation(assign)
  window.__PORTAL_BASE__ = undefined
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('session guard', () => {
  it('sends a 401 to /auth/login with the full deep link as returnTo', async () => {
    const router = makeRouter(async () => 'unauthenticated')
    await router.push('/me?tab=session')
    expect(assign).toHaveBeenCalledWith('/auth/login?returnTo=%2Fme%3Ftab%3Dsession')
    // The SPA does not render the protected page meanwhile.
    expect(router.currentRoute.value.path).not.toBe('/me')
  })

  it('keeps the PUBLIC_URL prefix on the login redirect', async () => {
    window.__PORTAL_BASE__ = '/portal/'
    const router = makeRouter(async () => 'unauthenticated')
    await router.push('/')
    expect(assign).toHaveBeenCalledWith('/portal/auth/login?returnTo=%2F')
  })

  it('sends a 403 to the no_role problem page', async () => {
    const router = makeRouter(async () => 'forbidden')
    await router.push('/me')
    expect(router.currentRoute.value.path).toBe('/problem')
    expect(router.currentRoute.value.query.reason).toBe('no_role')
    expect(assign).not.toHaveBeenCalled()
  })

  it('lets network/5xx failures through so the shell can offer a retry', async () => {
    const router = makeRouter(async () => 'error')
    await router.push('/me')
    expect(router.currentRoute.value.path).toBe('/me')
    expect(assign).not.toHaveBeenCalled()
  })

  it('skips the session check on public routes', async () => {
    const ensureSession = vi.fn(async (): Promise<SessionStatus> => 'unauthenticated')
    const router = makeRouter(ensureSession)
    await router.push('/login?returnTo=%2Fme')
    await router.push('/problem?reason=not_member')
    expect(ensureSession).not.toHaveBeenCalled()
    expect(assign).not.toHaveBeenCalled()
    expect(router.currentRoute.value.path).toBe('/problem')
  })

  it('with the real store: a 401 from /api/me redirects; a loaded session is not refetched', async () => {
    setActivePinia(createPinia())
    const session = useSessionStore()
    const fetchMock = vi.fn<typeof fetch>()
    vi.stubGlobal('fetch', fetchMock)
    const router = makeRouter(() => session.ensureLoaded())

    fetchMock.mockResolvedValueOnce(jsonResponse(401, { error: { code: 'unauthenticated', message: 'no session' } }))
    await router.push('/me?tab=session')
    expect(assign).toHaveBeenCalledWith('/auth/login?returnTo=%2Fme%3Ftab%3Dsession')

    fetchMock.mockResolvedValueOnce(jsonResponse(200, sampleMe()))
    await router.push('/')
    await router.push('/me')
    expect(session.status).toBe('ready')
    expect(fetchMock).toHaveBeenCalledTimes(2)
  })
})

describe('page chunks load while the session does', () => {
  function lazyRouter(ensureSession: () => Promise<SessionStatus>, loader: () => Promise<unknown>) {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'home', component: Empty },
        { path: '/todos', name: 'todos', component: loader, meta: { tabbar: true } },
        { path: '/login', name: 'login', component: loader, meta: { public: true } },
      ],
    })
    const preloaded: string[] = []
    router.beforeEach(createSessionGuard({ ensureSession, preload: (to) => (preloadRouteComponents(to), preloaded.push(to.path)) }))
    return { router, preloaded }
  }

  it('starts the page chunk before /api/me has answered', async () => {
    let answer!: (s: SessionStatus) => void
    const loader = vi.fn(() => Promise.resolve({ default: Empty }))
    const { router } = lazyRouter(() => new Promise((r) => (answer = r)), loader)
    const done = router.push('/todos')
    await vi.waitFor(() => expect(loader).toHaveBeenCalled())
    answer('ready')
    await done
    expect(router.currentRoute.value.path).toBe('/todos')
  })

  it('does not preload for public pages or when signed out, and a failed chunk is left to the router', async () => {
    const loader = vi.fn(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module')))
    const { router, preloaded } = lazyRouter(async () => 'ready', loader)
    const errors: unknown[] = []
    router.onError((e) => errors.push(e))
    await router.push('/login').catch(() => {})
    expect(preloaded).toEqual([])
    await router.push('/todos').catch(() => {})
    expect(preloaded).toEqual(['/todos'])
    // The router saw the failure (and App reloads the page on it); the preload swallowed nothing it needed.
    expect(errors.length).toBeGreaterThan(0)
  })
})

describe('whenRouterReady', () => {
  it('does not reject when the guard aborts the first navigation, and resolves with the next one that completes', async () => {
    let status: SessionStatus = 'unauthenticated'
    const router = makeRouter(async () => status)
    const { whenRouterReady } = await import('../src/lib/router-ready')
    const ready = whenRouterReady(router)
    let resolved = false
    void ready.then(() => (resolved = true))
    // What App.vue used to wait on: rejected by the aborted cold entry.
    const raw = router.isReady()
    await router.push('/me')
    await expect(raw).rejects.toThrow()
    expect(resolved).toBe(false)
    status = 'ready'
    await router.push('/me')
    await ready
    expect(router.currentRoute.value.path).toBe('/me')
  })
})
