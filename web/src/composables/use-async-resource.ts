import { ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import { toRequestError, type ApiRequestError } from '../api/http'

export interface AsyncResourceOptions<T> {
  /** What to show (a route param); the resource loads again whenever it changes. */
  key: () => string
  /** Fetches it (a store call); throws an ApiRequestError. */
  fetch: (key: string) => Promise<T>
  /** What is already known (a row from a list, a card seen before), shown at once. */
  cached?: (key: string) => T | undefined
  /** Fetch even when something is cached: a status may have changed since (a todo). */
  revalidate?: boolean
}

export interface AsyncResource<T> {
  data: ShallowRef<T | null>
  /** Only while there is nothing to show, or when the thing is gone (`not_found`). */
  error: ShallowRef<ApiRequestError | null>
  busy: Ref<boolean>
  /** Loads again (the retry button, the app coming back into view). */
  load: () => Promise<void>
}

/**
 * One thing a page shows, by key: what is known at once, then the answer; an answer for an
 * older key (the page moved on) is dropped. With something on screen a failed refresh stays
 * quiet, unless the thing is gone. The page shows `error` with LoadErrorState and its retry.
 */
export function useAsyncResource<T>(opts: AsyncResourceOptions<T>): AsyncResource<T> {
  const data = shallowRef<T | null>(null)
  const error = shallowRef<ApiRequestError | null>(null)
  const busy = ref(false)
  let shownKey: string | null = null
  let seq = 0

  async function load(): Promise<void> {
    const mine = ++seq
    const key = opts.key()
    error.value = null
    if (data.value === null || shownKey !== key) data.value = opts.cached?.(key) ?? null
    shownKey = key
    if (data.value !== null && !opts.revalidate) return
    busy.value = true
    try {
      const fresh = await opts.fetch(key)
      if (mine === seq) data.value = fresh
    } catch (e) {
      if (mine !== seq) return
      const err = toRequestError(e)
      if (data.value === null || err.code === 'not_found') {
        data.value = null
        error.value = err
      }
    } finally {
      if (mine === seq) busy.value = false
    }
  }

  watch(opts.key, () => void load(), { immediate: true })
  return { data, error, busy, load }
}
