import { vi } from 'vitest'

/**
 * Retries `check` until it passes: vi.waitFor with room for a loaded machine (a lazy page's first
 * import can take over a second; vi.waitFor's own default gives up after 1 s).
 */
export function eventually<T>(check: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(check, { timeout: 30_000, interval: 20 })
}
