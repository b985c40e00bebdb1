import { afterEach, describe, expect, it } from 'vitest'
import { effectScope, nextTick, ref, type EffectScope } from 'vue'
import { ApiRequestError } from '../src/api/http'
import { useAsyncResource, type AsyncResourceOptions } from '../src/composables/use-async-resource'

/** A fetch whose answers the test gives, one deferred promise per call. */
function deferredFetch() {
  const calls: { key: string; resolve: (v: string) => void; reject: (e: unknown) => void }[] = []
  const fetch = (key: string) => new Promise<string>((resolve, reject) => calls.push({ key, resolve, reject }))
  return { calls, fetch }
}
const settle = async () => {
  for (let i = 0; i < 3; i++) await nextTick()
}

let scope: EffectScope | undefined
afterEach(() => scope?.stop())

function use(opts: Omit<AsyncResourceOptions<string>, 'key'>, first = 'a') {
  const key = ref(first)
  scope = effectScope()
  const r = scope.run(() => useAsyncResource({ key: () => key.value, ...opts }))!
  return { key, ...r }
}

const notFound = new ApiRequestError({ status: 404, code: 'not_found', message: 'gone' })

describe('useAsyncResource: failures first', () => {
  it('with nothing to show, a failure is the error (anything thrown counts as a network error); load() retries', async () => {
    const f = deferredFetch()
    const r = use({ fetch: f.fetch })
    expect(r.busy.value).toBe(true)
    f.calls[0]!.reject(new TypeError('Failed to fetch'))
    await settle()
    expect(r.error.value).toMatchObject({ code: 'network', status: 0 })
    expect(r.busy.value).toBe(false)
    const retry = r.load()
    expect(r.error.value).toBeNull()
    f.calls[1]!.resolve('A')
    await retry
    expect(r.data.value).toBe('A')
  })

  it('with something on screen a failed refresh stays quiet, but a 404 clears it: the thing is gone', async () => {
    const f = deferredFetch()
    const r = use({ fetch: f.fetch, cached: () => 'cached A', revalidate: true })
    expect(r.data.value).toBe('cached A')
    f.calls[0]!.reject(new ApiRequestError({ status: 502, code: 'wecom_error', message: 'x' }))
    await settle()
    expect(r.data.value).toBe('cached A')
    expect(r.error.value).toBeNull()
    void r.load()
    f.calls[1]!.reject(notFound)
    await settle()
    expect(r.data.value).toBeNull()
    expect(r.error.value?.code).toBe('not_found')
  })

  it('an answer for a key the page has left is dropped', async () => {
    const f = deferredFetch()
    const r = use({ fetch: f.fetch })
    r.key.value = 'b'
    await settle()
    f.calls[1]!.resolve('B')
    f.calls[0]!.reject(notFound)
    await settle()
    expect(r.data.value).toBe('B')
    expect(r.error.value).toBeNull()
    expect(r.busy.value).toBe(false)
  })
})

describe('useAsyncResource', () => {
  it('something cached shows at once and, unless revalidating, is not fetched', async () => {
    const f = deferredFetch()
    const r = use({ fetch: f.fetch, cached: (k) => (k === 'a' ? 'cached A' : undefined) })
    expect(r.data.value).toBe('cached A')
    expect(f.calls).toHaveLength(0)
    r.key.value = 'b'
    await settle()
    expect(r.data.value).toBeNull()
    expect(f.calls.map((c) => c.key)).toEqual(['b'])
  })

  it('revalidating: the cached value shows until the fresh one replaces it; a reload keeps what is shown', async () => {
    const f = deferredFetch()
    const r = use({ fetch: f.fetch, cached: () => 'cached A', revalidate: true })
    expect(r.data.value).toBe('cached A')
    f.calls[0]!.resolve('A')
    await settle()
    expect(r.data.value).toBe('A')
    void r.load()
    expect(r.data.value).toBe('A')
    expect(f.calls).toHaveLength(2)
  })
})
