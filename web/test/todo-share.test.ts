import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { useI18n } from '../src/i18n/use-i18n'
import type { WecomSdk } from '../src/lib/wecom-sdk'
import { fakeTodosFetch, sampleTodo } from './todo-fixtures'
import { mountRoutes } from './route-mount'

// Inside the WeCom client: an SDK that reports support and records what is shared.
const shareAppMessage = vi.fn<WecomSdk['shareAppMessage']>(async () => ({ ok: true, value: undefined }))
vi.mock('../src/composables/use-wecom-sdk', () => ({
  useWecomSdk: () => ({ supported: true, shareAppMessage }),
}))

const fetchMock = vi.fn<typeof fetch>()
let wrapper: VueWrapper | undefined

beforeEach(() => {
  useI18n().setLang('zh')
  vi.stubGlobal('fetch', fetchMock)
})
afterEach(() => {
  wrapper?.unmount()
  fetchMock.mockReset()
  shareAppMessage.mockClear()
  vi.unstubAllGlobals()
  window.__PORTAL_BASE__ = undefined
  useI18n().setLang('auto')
})

describe('TodoDetailPage inside WeCom', () => {
  it("转发 shares this todo's page (under the runtime base) with its title and summary", async () => {
    window.__PORTAL_BASE__ = '/portal/'
    fetchMock.mockImplementation(fakeTodosFetch({ pending: [sampleTodo({ id: 'td 1' })] }))
    ;({ wrapper } = await mountRoutes('/todos/td%201'))
    await flushPromises()
    await wrapper.find('[data-test="todo-share"]').trigger('click')
    expect(shareAppMessage).toHaveBeenCalledWith({
      title: '差旅报销：上海客户拜访 2,380 元',
      desc: '报销 · 王芳 提交于 2026-11-20 16:12',
      link: `${window.location.origin}/portal/todos/td%201`,
    })
  })
})
