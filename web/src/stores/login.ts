import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { LoginOptions } from '@portal/shared'
import { fetchLoginOptions } from '../api/login'
import { toRequestError, type ApiRequestError } from '../api/http'

/** The login page's options (QR panel or sandbox); each page view loads its own. */
export const useLoginStore = defineStore('login', () => {
  const options = shallowRef<LoginOptions | null>(null)
  const error = shallowRef<ApiRequestError | null>(null)
  const loading = ref(false)

  /** Never throws; the page shows `error` with a retry. Also starts a login state (cookie). */
  async function load(returnTo: string, embed: boolean): Promise<LoginOptions | null> {
    loading.value = true
    error.value = null
    try {
      options.value = await fetchLoginOptions(returnTo, embed)
    } catch (e) {
      error.value = toRequestError(e)
    } finally {
      loading.value = false
    }
    return options.value
  }

  /** A login state is single-use: the next view must not show this one's options. */
  function clear(): void {
    options.value = null
    error.value = null
    loading.value = false
  }

  return { options, error, loading, load, clear }
})
