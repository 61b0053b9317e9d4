// A bounded least-recently-used map of per-key entries, grouped by owner (a key id) so that all entries of
// one key can be dropped at once. Every entry that leaves (evicted, replaced, forgotten, cleared) is handed
// to `discard`, which zeroes what it can. Used by each crypto worker for its parsed private keys, and by
// the pool for its record of what each worker holds: same operations, same order, so the two agree.
import { RecencyMap } from '../cache/recency-map.js'

interface Held<V> {
  owner: string
  value: V
}

export class KeyLru<V> {
  private readonly entries: RecencyMap<string, Held<V>>
  private readonly maxEntries: number
  private readonly discard: (value: V) => void

  constructor(maxEntries: number, discard: (value: V) => void = () => {}) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('key cache bound must be a positive integer')
    this.maxEntries = maxEntries
    this.entries = RecencyMap.forCapacity(maxEntries)
    this.discard = discard
  }

  get size(): number {
    return this.entries.size
  }

  /** The entry named `name`, counted as used (recency-map.ts); undefined when it is not held. */
  get(name: string): V | undefined {
    return this.entries.use(name)?.value
  }

  /** Holds `value` as `name`; a previous entry of that name and the least recently used beyond the bound are discarded. */
  put(owner: string, name: string, value: V): void {
    const previous = this.entries.get(name)
    this.entries.delete(name)
    if (previous && previous.value !== value) this.discard(previous.value)
    this.entries.set(name, { owner, value })
    while (this.entries.size > this.maxEntries) {
      const [oldest, held] = this.entries.oldest()!
      this.entries.delete(oldest)
      this.discard(held.value)
    }
  }

  /** Discards every entry of `owner`; returns how many there were. */
  forget(owner: string): number {
    let dropped = 0
    for (const [name, held] of this.entries) {
      if (held.owner !== owner) continue
      this.entries.delete(name)
      this.discard(held.value)
      dropped++
    }
    return dropped
  }

  /** The names held, the next to be evicted first (names only: never the values). */
  names(): string[] {
    return [...this.entries.keys()]
  }

  clear(): void {
    for (const held of this.entries.values()) this.discard(held.value)
    this.entries.clear()
  }
}
