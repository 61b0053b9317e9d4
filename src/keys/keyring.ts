// Access to plaintext key material: created and wrapped under the root key, unwrapped on demand into a
// bounded in-memory cache. The only place where material crosses the root-key boundary. Material is lent
// to a callback, never handed out: an entry that leaves the cache (evicted, forgotten) is zeroed as soon
// as no callback still uses it.
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import type { KeyVersion } from './key.js'

export class MaterialUnavailableError extends Error {
  override readonly name = 'MaterialUnavailableError'
}

/** Binds wrapped material to its row, so a wrapped blob copied onto another key or version will not unwrap. */
export function materialAad(keyId: string, version: number): Uint8Array {
  return new TextEncoder().encode(`trent/key-material:${keyId}:${version}`)
}

/** Plaintext material of one version with its public id. */
export interface UnwrappedVersion {
  material: Uint8Array
  materialId: string
}

interface Entry {
  unwrapped: UnwrappedVersion
  /** Callbacks using the material now. */
  leases: number
  /** Out of the cache: zeroed when the last lease ends. */
  retired: boolean
}

export interface KeyringOptions {
  maxEntries?: number
  /** Also drops the key wherever else it is held parsed (the crypto workers); forget() awaits it. */
  forgetElsewhere?: (keyId: string) => Promise<void>
}

export class Keyring {
  private readonly cache = new Map<string, Entry>()
  /** Cache lookups that found (hits) or had to unwrap (misses) material, for the monitoring counters. */
  readonly stats = { hits: 0, misses: 0 }
  private readonly rootKey: RootKey
  private readonly store: Store
  private readonly maxEntries: number
  private readonly forgetElsewhere: ((keyId: string) => Promise<void>) | undefined

  constructor(rootKey: RootKey, store: Store, options: KeyringOptions = {}) {
    this.rootKey = rootKey
    this.store = store
    this.maxEntries = options.maxEntries ?? 10_000
    this.forgetElsewhere = options.forgetElsewhere
  }

  /** Wraps freshly generated material as version `version` of `keyId`; the caller stores it. Takes ownership of `material`. */
  async wrapVersion(keyId: string, version: number, material: Uint8Array, materialId: string, createdAt: Date): Promise<KeyVersion> {
    const wrappedMaterial = await this.rootKey.wrap(material, materialAad(keyId, version))
    this.remember(keyId, version, { material, materialId })
    return { keyId, version, materialId, wrappedMaterial, createdAt }
  }

  /**
   * Lends the plaintext material of one version to `use`, which must not keep it past its own settling.
   * Throws MaterialUnavailableError when the version is gone, and whatever `use` throws.
   */
  async withMaterial<T>(keyId: string, version: number, use: (unwrapped: UnwrappedVersion) => T | Promise<T>): Promise<T> {
    const entry = await this.lease(keyId, version)
    try {
      return await use(entry.unwrapped)
    } finally {
      entry.leases--
      if (entry.retired && entry.leases === 0) entry.unwrapped.material.fill(0)
    }
  }

  /** Drops and zeroes (once unused) the cached material of a key, here and through `forgetElsewhere`. */
  async forget(keyId: string): Promise<void> {
    for (const [name, entry] of this.cache) {
      if (!name.startsWith(`${keyId}/`)) continue
      this.cache.delete(name)
      this.retire(entry)
    }
    await this.forgetElsewhere?.(keyId)
  }

  /** The entry with one more lease, taken before anything else can run, so no eviction can zero it first. */
  private async lease(keyId: string, version: number): Promise<Entry> {
    const cacheKey = `${keyId}/${version}`
    const hit = this.cache.get(cacheKey)
    if (hit) {
      this.stats.hits++
      // Re-insert to mark as most recently used.
      this.cache.delete(cacheKey)
      this.cache.set(cacheKey, hit)
      hit.leases++
      return hit
    }
    this.stats.misses++
    const stored = await this.store.getKeyVersion(keyId, version)
    if (!stored) throw new MaterialUnavailableError('key material version not found')
    const material = await this.rootKey.unwrap(stored.wrappedMaterial, materialAad(keyId, version))
    const entry = this.remember(keyId, version, { material, materialId: stored.materialId })
    entry.leases++
    return entry
  }

  /**
   * Caches `unwrapped` unless a concurrent miss cached the same version first (then ours is zeroed and
   * theirs returned); evicts the least recently used entry past the bound.
   */
  private remember(keyId: string, version: number, unwrapped: UnwrappedVersion): Entry {
    const cacheKey = `${keyId}/${version}`
    const existing = this.cache.get(cacheKey)
    if (existing) {
      if (existing.unwrapped.material !== unwrapped.material) unwrapped.material.fill(0)
      return existing
    }
    const entry: Entry = { unwrapped, leases: 0, retired: false }
    this.cache.set(cacheKey, entry)
    if (this.cache.size > this.maxEntries) {
      const [oldest, evicted] = this.cache.entries().next().value as [string, Entry]
      this.cache.delete(oldest)
      this.retire(evicted)
    }
    return entry
  }

  private retire(entry: Entry): void {
    entry.retired = true
    if (entry.leases === 0) entry.unwrapped.material.fill(0)
  }
}
