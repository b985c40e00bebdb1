import { onBeforeUnmount, shallowRef, type Ref } from 'vue'

/** The current time, ticking every `ms`: relative times ("5分钟前") stay right on an open page. */
export function useNow(ms = 60_000): Ref<Date> {
  const now = shallowRef(new Date())
  const timer = setInterval(() => (now.value = new Date()), ms)
  onBeforeUnmount(() => clearInterval(timer))
  return now
}
