import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { defineComponent, h, nextTick, ref } from 'vue'
import TabStrip from '../src/components/common/TabStrip.vue'

function mountStrip(start = 'a', barClass?: string) {
  const active = ref(start)
  const Host = defineComponent({
    render: () =>
      h(
        TabStrip,
        { id: 't', label: 'Lists', tabs: ['a', 'b', 'c'], barClass, active: active.value, 'onUpdate:active': (v: string) => (active.value = v) },
        { tab: ({ tab }: { tab: string }) => `Tab ${tab}`, panel: ({ tab }: { tab: string }) => h('p', { 'data-test': `p-${tab}` }, tab) },
      ),
  })
  return { w: mount(Host, { attachTo: document.body }), active }
}

describe('TabStrip', () => {
  it('marks the selected tab and links tabs to their panels', () => {
    const { w } = mountStrip('b')
    const tabs = w.findAll('[role="tab"]')
    expect(tabs.map((t) => t.attributes('aria-selected'))).toEqual(['false', 'true', 'false'])
    expect(tabs.map((t) => t.attributes('tabindex'))).toEqual(['-1', '0', '-1'])
    expect(tabs[1]!.attributes('aria-controls')).toBe('t-panel-b')
    expect(w.find('#t-panel-b').attributes('aria-labelledby')).toBe('t-tab-b')
    // Panels render on first visit only.
    expect(w.find('[data-test="p-a"]').exists()).toBe(false)
    w.unmount()
  })

  it('puts barClass on the bar that holds the tabs (a page makes it its top bar)', () => {
    const { w } = mountStrip('a', 'portal-top-bar')
    expect(w.find('.tab-strip__bar').classes()).toEqual(['tab-strip__bar', 'portal-top-bar'])
    w.unmount()
  })

  it('arrows, Home and End select and focus; a visited panel stays, hidden', async () => {
    const { w, active } = mountStrip('a')
    const tabs = () => w.findAll('[role="tab"]')
    await tabs()[0]!.trigger('keydown', { key: 'ArrowRight' })
    expect(active.value).toBe('b')
    expect(document.activeElement).toBe(tabs()[1]!.element)
    await tabs()[1]!.trigger('keydown', { key: 'End' })
    expect(active.value).toBe('c')
    await tabs()[2]!.trigger('keydown', { key: 'ArrowRight' })
    expect(active.value).toBe('a')
    await tabs()[0]!.trigger('keydown', { key: 'ArrowLeft' })
    expect(active.value).toBe('c')
    await tabs()[2]!.trigger('keydown', { key: 'Home' })
    await nextTick()
    expect(active.value).toBe('a')
    expect(w.find('[data-test="p-b"]').exists()).toBe(true)
    expect((w.find('#t-panel-b').element as HTMLElement).style.display).toBe('none')
    w.unmount()
  })
})
