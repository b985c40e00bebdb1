import { afterEach, beforeEach, vi, type Mock } from 'vitest'
import { useI18n } from '../src/i18n/use-i18n'

/**
 * The environment every page test starts from: Chinese UI, no path prefix, `fetch` stubbed by the
 * returned mock; afterwards `cleanup` runs (unmount) and everything is restored.
 */
export function usePageEnv(cleanup: () => void): Mock<typeof fetch> {
  const fetchMock = vi.fn<typeof fetch>()
  beforeEach(() => {
    useI18n().setLang('zh')
    vi.stubGlobal('fetch', fetchMock)
    window.__PORTAL_BASE__ = undefined
  })
  afterEach(() => {
    cleanup()
    fetchMock.mockReset()
    vi.unstubAllGlobals()
    useI18n().setLang('auto')
  })
  return fetchMock
}
