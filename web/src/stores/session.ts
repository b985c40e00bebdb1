import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Me } from '@portal/shared'
import { fetchMe, logout as apiLogout } from '../api/session'
import { toRequestError, type ApiRequestError } from '../api/http'

export type SessionStatus = 'idle' | 'loading' | 'ready' | 'unauthenticated' | 'forbidden' | 'error'

export const useSessionStore = defineStore('session', () => {
  const me = shallowRef<Me | null>(null)
  const status = ref<SessionStatus>('idle')
  const error = shallowRef<ApiRequestError | null>(null)
  let inFlight: Promise<SessionStatus> | null = null

  async function fetchOnce(): Promise<SessionStatus> {
    status.value = 'loading'
    error.value = null
    try {
      me.value = await fetchMe()
      status.value = 'ready'
    } catch (e) {
      const err = toRequestError(e)
      me.value = null
      error.value = err
      status.value = err.code === 'unauthenticated' ? 'unauthenticated' : err.code === 'forbidden' ? 'forbidden' : 'error'
    }
    return status.value
  }

  /** Fetch /api/me now; concurrent callers share one request. */
  function load(): Promise<SessionStatus> {
    inFlight ??= fetchOnce().finally(() => {
      inFlight = null
    })
    return inFlight
  }

  /** The guard's entry: no request once the member is known. */
  function ensureLoaded(): Promise<SessionStatus> {
    return status.value === 'ready' ? Promise.resolve('ready') : load()
  }

  async function logout(): Promise<void> {
    await apiLogout()
    me.value = null
    status.value = 'idle'
  }

  return { me, status, error, load, ensureLoaded, logout }
})
