import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { defineComponent, h, shallowRef } from 'vue'
import VirtualList from '../src/components/common/VirtualList.vue'

const ROW = 64
const VIEWPORT = 812
/** Where the list's top edge is relative to the viewport (negative once scrolled past). */
let listTop = 0

beforeEach(() => {
  listTop = 0
  vi.stubGlobal('innerHeight', VIEWPORT)
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const top = this.classList.contains('virtual-list') ? listTop : 0
    return { top, bottom: top, left: 0, right: 0, width: 0, height: 0, x: 0, y: top, toJSON: () => ({}) } as DOMRect
  })
})
afterEach(() => {
  wrapper?.unmount()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

let wrapper: VueWrapper | undefined
const people = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `u${i}`, name: `成员${i}` }))
type Person = ReturnType<typeof people>[number]

function mountList(items: Person[], onReachEnd = vi.fn()) {
  const list = shallowRef(items)
  const Host = defineComponent({
    setup: () => () =>
      h(
        VirtualList<Person>,
        { items: list.value, itemHeight: ROW, itemKey: (p: Person) => p.id, overscan: 5, endThreshold: 10, onReachEnd },
        { default: ({ item }: { item: Person }) => h('span', { class: 'name' }, item.name) },
      ),
  })
  wrapper = mount(Host, { attachTo: document.body })
  return { list, onReachEnd }
}

async function scrollTo(top: number): Promise<void> {
  listTop = -top
  window.dispatchEvent(new Event('scroll'))
  await flushPromises()
}

const indexes = () => wrapper!.findAll('.virtual-list__row').map((r) => Number(r.attributes('data-index')))
const maxRows = Math.ceil(VIEWPORT / ROW) + 1 + 2 * 5

describe('VirtualList', () => {
  it('renders a bounded number of rows for 5,000 items, with the full scroll height', async () => {
    mountList(people(5000))
    await flushPromises()
    const rows = indexes()
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThanOrEqual(maxRows)
    expect(rows[0]).toBe(0)
    expect(wrapper!.find('.virtual-list').attributes('style')).toContain(`height: ${5000 * ROW}px`)
    expect(document.querySelectorAll('.name').length).toBe(rows.length)
  })

  it('shows the rows under the viewport after scrolling, and positions them there', async () => {
    mountList(people(5000))
    await scrollTo(3000 * ROW + 10)
    const rows = indexes()
    expect(rows.length).toBeLessThanOrEqual(maxRows)
    expect(rows).toContain(3000)
    expect(rows).toContain(3000 + Math.floor(VIEWPORT / ROW))
    expect(Math.min(...rows)).toBe(3000 - 5)
    expect(wrapper!.text()).toContain('成员3000')
    expect(wrapper!.text()).not.toContain('成员2990')
    expect(wrapper!.find('.virtual-list__window').attributes('style')).toContain(`translateY(${(3000 - 5) * ROW}px)`)

    await scrollTo(4999 * ROW)
    expect(indexes()).toContain(4999)
    expect(indexes().length).toBeLessThanOrEqual(maxRows)
  })

  it('asks for more once near the end, once per length, and again after items grow', async () => {
    const { list, onReachEnd } = mountList(people(100))
    await scrollTo(10 * ROW)
    expect(onReachEnd).not.toHaveBeenCalled()
    await scrollTo(100 * ROW - VIEWPORT)
    expect(onReachEnd).toHaveBeenCalledTimes(1)
    await scrollTo(100 * ROW - VIEWPORT + 5)
    expect(onReachEnd).toHaveBeenCalledTimes(1)

    list.value = people(200)
    await flushPromises()
    await scrollTo(200 * ROW - VIEWPORT)
    expect(onReachEnd).toHaveBeenCalledTimes(2)
  })

  it('a short first page that does not fill the screen asks for more right away', async () => {
    const { onReachEnd } = mountList(people(5))
    await flushPromises()
    expect(onReachEnd).toHaveBeenCalledTimes(1)
    expect(indexes()).toEqual([0, 1, 2, 3, 4])
  })

  it('stops listening when unmounted', async () => {
    const remove = vi.spyOn(window, 'removeEventListener')
    mountList(people(10))
    wrapper!.unmount()
    wrapper = undefined
    expect(remove.mock.calls.map((c) => c[0])).toEqual(expect.arrayContaining(['scroll', 'resize']))
  })
})
