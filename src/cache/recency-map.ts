// An insertion-ordered Map for the LRU caches, oldest first, where a hit moves an entry to the newest end only
// once it has drifted out of the newest part of the order.
//
// Why not re-insert on every hit, as a strict LRU over a Map does: delete + set on every request appends to
// the Map's hash table until it is rebuilt, and those tables outlive young-generation collections, so the hot
// path's three caches (credentials, key records, key material) promoted a steady stream of garbage into the
// old generation and caused a major GC about every 0.4 s under load (measured with V8's sampling heap profiler:
// ~18% of all promoted bytes). With this map a hot entry is re-inserted about once per `window` insertions.
//
// Guarantee: a hit that finds more than `window` insertions after the entry's own moves it, so an entry used
// again within fewer than (capacity - window) insertions is never evicted. (It can be the oldest entry for a while,
// when everything older was evicted or deleted; the bound on the insertions between its uses is what keeps it.)

interface Stamped<V> {
  value: V
  /** The map's insertion count when the entry was last put at the newest end. */
  stamp: number
}

export class RecencyMap<K, V> {
  private readonly map = new Map<K, Stamped<V>>()
  private readonly window: number
  private insertions = 0

  /** `window`: how many later insertions an entry may have before a hit moves it (0: a strict LRU). */
  constructor(window: number) {
    if (!Number.isInteger(window) || window < 0) throw new RangeError('recency window must be a whole number')
    this.window = window
  }

  /** A window for a cache of `capacity` entries: a quarter of it, so small caches stay strict LRUs. */
  static forCapacity<K, V>(capacity: number): RecencyMap<K, V> {
    return new RecencyMap<K, V>(Math.floor(capacity / 4))
  }

  get size(): number {
    return this.map.size
  }

  has(key: K): boolean {
    return this.map.has(key)
  }

  /** The value, without counting it as used. */
  get(key: K): V | undefined {
    return this.map.get(key)?.value
  }

  /** The value, counted as used: moved to the newest end when it has drifted past the window. */
  use(key: K): V | undefined {
    const entry = this.map.get(key)
    if (entry === undefined) return undefined
    if (this.insertions - entry.stamp > this.window) {
      this.map.delete(key)
      entry.stamp = ++this.insertions
      this.map.set(key, entry)
    }
    return entry.value
  }

  /** Puts `value` at the newest end (replacing any entry of the same key). */
  set(key: K, value: V): this {
    this.map.delete(key)
    this.map.set(key, { value, stamp: ++this.insertions })
    return this
  }

  delete(key: K): boolean {
    return this.map.delete(key)
  }

  /** The oldest entry: the one a full cache evicts. */
  oldest(): [K, V] | undefined {
    for (const [key, entry] of this.map) return [key, entry.value]
    return undefined
  }

  keys(): IterableIterator<K> {
    return this.map.keys()
  }

  *values(): IterableIterator<V> {
    for (const entry of this.map.values()) yield entry.value
  }

  /** Oldest first. Deleting the current entry while iterating is allowed, as with a Map. */
  *entries(): IterableIterator<[K, V]> {
    for (const [key, entry] of this.map) yield [key, entry.value]
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries()
  }

  clear(): void {
    this.map.clear()
  }
}
