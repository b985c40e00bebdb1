import { onBeforeUnmount, ref, type Ref } from 'vue'

/** A flag that turns itself off again: draws the eye to a section without staying loud. */
export function useFlash(ms = 1600): { active: Ref<boolean>; flash: () => void } {
  const active = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  function flash(): void {
    clearTimeout(timer)
    active.value = true
    timer = setTimeout(() => (active.value = false), ms)
  }
  onBeforeUnmount(() => clearTimeout(timer))
  return { active, flash }
}
