import { shallowRef, type ShallowRef } from 'vue'

/**
 * Text in a lazy chunk (the English UI): `text` is null until it arrives, and `load` fetches it
 * once; a failed download (offline for a moment) is tried again on the next call.
 */
export function lazyText<T>(importText: () => Promise<T>): { text: Readonly<ShallowRef<T | null>>; load: () => Promise<void> } {
  const text = shallowRef<T | null>(null)
  let loading: Promise<void> | null = null
  const load = () =>
    (loading ??= importText().then(
      (t) => {
        text.value = t
      },
      () => {
        loading = null
      },
    ))
  return { text, load }
}
