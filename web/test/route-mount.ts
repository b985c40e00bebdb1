import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter, RouterView, type Router } from 'vue-router'
import { createPinia } from 'pinia'
import { defineComponent, h } from 'vue'
import { routes } from '../src/router/routes'

/**
 * Mounts the app's real routes (lazy pages included) at a URL, without the session guard: for
 * pages that link among themselves (directory drill-down, breadcrumbs, leader → leader).
 */
export async function mountRoutes(url: string): Promise<{ wrapper: VueWrapper; router: Router }> {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(url)
  await router.isReady()
  const Shell = defineComponent({ render: () => h(RouterView) })
  const wrapper = mount(Shell, { global: { plugins: [router, createPinia()] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}
