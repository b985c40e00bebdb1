export interface Debounced<A extends unknown[]> {
  (...args: A): void
  /** Runs a pending call now. */
  flush(): void
  cancel(): void
}

/** Calls fn once input has been quiet for `ms` (typing → one search request). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let pending: A | undefined
  const run = () => {
    timer = undefined
    const args = pending
    pending = undefined
    if (args) fn(...args)
  }
  const debounced = (...args: A) => {
    pending = args
    clearTimeout(timer)
    timer = setTimeout(run, ms)
  }
  debounced.flush = () => {
    clearTimeout(timer)
    run()
  }
  debounced.cancel = () => {
    clearTimeout(timer)
    timer = undefined
    pending = undefined
  }
  return debounced
}
