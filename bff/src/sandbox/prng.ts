/**
 * A small seeded PRNG (mulberry32). The sandbox's org and its fault dice must come out the same
 * on every run, so nothing here touches Math.random.
 */
export type Rng = () => number

export function createRng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An integer in [0, n). */
export function pickIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n)
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[pickIndex(rng, items.length)]
  if (item === undefined) throw new Error('pick from an empty list')
  return item
}
