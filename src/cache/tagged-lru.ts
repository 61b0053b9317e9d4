// A bounded least-recently-used map whose entries are also filed under tags (the entities they were
// loaded from), so one change can drop every entry that depends on it. Each entry remembers the change
// seq it was loaded at, and whatever it holds is handed to `onDrop` when it leaves (to zero secrets).
import { RecencyMap } from './recency-map.js'

export interface CacheStats {
  hits: number
  misses: number
  readonly size: number
}

interface Entry<V> {
  value: V
  tags: readonly string[]
  /** The feed's seq when the load began: this entry reflects every change up to it. */
  loadedAt: number
}

export class TaggedLru<V> {
  private readonly entries: RecencyMap<string, Entry<V>>
  private readonly byTag = new Map<string, Set<string>>()
  private readonly capacity: number
  private readonly onDrop: ((value: V) => void) | undefined
  readonly stats: CacheStats

  constructor(capacity: number, onDrop?: (value: V) => void) {
    this.capacity = capacity
    this.entries = RecencyMap.forCapacity(capacity)
    this.onDrop = onDrop
    const entries = this.entries
    this.stats = { hits: 0, misses: 0, get size() { return entries.size } }
  }

  /** The cached value (marking it most recently used), counting a hit or a miss. */
  get(key: string): V | undefined {
    const entry = this.entries.use(key)
    if (entry === undefined) {
      this.stats.misses++
      return undefined
    }
    this.stats.hits++
    return entry.value
  }

  /** The seq the entry was loaded at, for tests and diagnostics. */
  loadedAt(key: string): number | undefined {
    return this.entries.get(key)?.loadedAt
  }

  /** Caches `value` under `key`, filed under `tags`; past the bound the least recently used entry goes. */
  set(key: string, value: V, tags: readonly string[], loadedAt: number): void {
    this.delete(key)
    this.entries.set(key, { value, tags, loadedAt })
    for (const tag of tags) {
      let keys = this.byTag.get(tag)
      if (keys === undefined) this.byTag.set(tag, (keys = new Set()))
      keys.add(key)
    }
    if (this.entries.size > this.capacity) this.delete(this.entries.oldest()![0])
  }

  delete(key: string): void {
    const entry = this.entries.get(key)
    if (entry === undefined) return
    this.entries.delete(key)
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag)
      keys?.delete(key)
      if (keys?.size === 0) this.byTag.delete(tag)
    }
    this.onDrop?.(entry.value)
  }

  /** Drops every entry filed under `tag`. */
  invalidate(tag: string): void {
    const keys = this.byTag.get(tag)
    if (keys === undefined) return
    for (const key of [...keys]) this.delete(key)
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.delete(key)
  }

  get size(): number {
    return this.entries.size
  }
}
