import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { AppInfo } from '@portal/shared'
import { fetchAppInfo } from '../api/app'
import { setCorpTimeZone } from '../lib/format'

export const useAppStore = defineStore('app', () => {
  const info = shallowRef<AppInfo | null>(null)
  const isSandbox = computed(() => info.value?.mode === 'sandbox')
  let loaded: Promise<void> | null = null

  /** Best effort: without app info only the sandbox banner is missing, so errors stay quiet. */
  function load(): Promise<void> {
    loaded ??= fetchAppInfo()
      .then((i) => {
        info.value = i
        setCorpTimeZone(i.timeZone)
      })
      .catch(() => {
        loaded = null
      })
    return loaded
  }

  return { info, isSandbox, load }
})
