import { ref } from 'vue'
import type { LocationQuery } from 'vue-router'

const KEY = 'portal.embed'

function persist(): void {
  try {
    sessionStorage.setItem(KEY, '1')
  } catch {
    // In-memory flag still covers this page view.
  }
}

function readFlag(): boolean {
  // The very first page load: the session guard may send the frame to sign-in before any route
  // resolves, and that login must already know it runs in a frame (SameSite=None cookies).
  if (typeof window !== 'undefined' && new URLSearchParams(window.location.search).get('embed') === '1') {
    persist()
    return true
  }
  try {
    return sessionStorage.getItem(KEY) === '1'
  } catch {
    return false
  }
}

/**
 * Inside a host app's iframe (`?embed=1`) the host owns navigation, so no tab bar. The flag
 * sticks for the tab's session: in-app links would otherwise drop the query and bring it back.
 */
export const embedded = ref(readFlag())

export function rememberEmbed(query: LocationQuery): void {
  if (query.embed !== '1' || embedded.value) return
  embedded.value = true
  persist()
}
