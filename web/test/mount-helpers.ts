import { mount, flushPromises, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { createPinia } from 'pinia'
import { defineComponent, type Component } from 'vue'

const Empty = defineComponent({ render: () => null })

/** Mounts a page at a URL with a real router (memory history) and a fresh pinia. */
export async function mountAt(page: Component, url: string): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'home', component: Empty },
      { path: '/me', name: 'me', component: Empty },
      { path: '/login', name: 'login', component: page },
      { path: '/problem', name: 'problem', component: page },
    ],
  })
  await router.push(url)
  await router.isReady()
  const wrapper = mount(page, { global: { plugins: [router, createPinia()] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}
