// A tiny deterministic PRNG (mulberry32) and helpers, so every fuzz case is reproducible from its seed.

export type Rand = () => number

export function prng(seed: number): Rand {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T
}

/** A whole number from min to max inclusive. */
export function between(rand: Rand, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1))
}

/** A seed for one name (an operation), mixed with the run's seed. */
export function seedOf(name: string, runSeed = 7): number {
  return [...name].reduce((s, c) => (Math.imul(s, 31) + c.charCodeAt(0)) >>> 0, runSeed >>> 0)
}
