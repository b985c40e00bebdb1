import { ref } from 'vue'
import type { LocationQuery } from 'vue-router'

const KEY = 'portal.embed'

function readFlag(): boolean {
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
  try {
    sessionStorage.setItem(KEY, '1')
  } catch {
    // In-memory flag still covers this page view.
  }
}
