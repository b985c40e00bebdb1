import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, expect, vi, type Mock } from 'vitest'
import { ApiRequestError } from '../src/api/http'

/**
 * The environment of the api/ and store tests: `fetch` stubbed by the returned mock, no path
 * prefix, a fresh pinia per test; afterwards every stub and spy is restored.
 */
export function useApiEnv(): Mock<typeof fetch> {
  const fetchMock = vi.fn<typeof fetch>()
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock)
    window.__PORTAL_BASE__ = undefined
    setActivePinia(createPinia())
  })
  afterEach(() => {
    fetchMock.mockReset()
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
  })
  return fetchMock
}

/** The ApiRequestError a call rejects with (fails the test when it resolves or throws anything else). */
export async function caught(p: Promise<unknown>): Promise<ApiRequestError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(ApiRequestError)
  return e as ApiRequestError
}
