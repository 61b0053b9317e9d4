// Access to plaintext key material: created and wrapped under the root key, unwrapped on demand into a
// bounded in-memory cache. The only place where material crosses the root-key boundary.
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

export class Keyring {
  private readonly cache = new Map<string, UnwrappedVersion>()
  /** Cache lookups that found (hits) or had to unwrap (misses) material, for the monitoring counters. */
  readonly stats = { hits: 0, misses: 0 }
  private readonly rootKey: RootKey
  private readonly store: Store
  private readonly maxEntries: number

  constructor(rootKey: RootKey, store: Store, maxEntries = 10_000) {
    this.rootKey = rootKey
    this.store = store
    this.maxEntries = maxEntries
  }

  /** Wraps freshly generated material as version `version` of `keyId`; the caller stores it. */
  async wrapVersion(keyId: string, version: number, material: Uint8Array, materialId: string, createdAt: Date): Promise<KeyVersion> {
    const wrappedMaterial = await this.rootKey.wrap(material, materialAad(keyId, version))
    this.remember(keyId, version, { material, materialId })
    return { keyId, version, materialId, wrappedMaterial, createdAt }
  }

  /** Returns the plaintext material of one version. Throws MaterialUnavailableError when it is gone. */
  async material(keyId: string, version: number): Promise<UnwrappedVersion> {
    const cacheKey = `${keyId}/${version}`
    const hit = this.cache.get(cacheKey)
    if (hit) {
      this.stats.hits++
      // Re-insert to mark as most recently used.
      this.cache.delete(cacheKey)
      this.cache.set(cacheKey, hit)
      return hit
    }
    this.stats.misses++
    const stored = await this.store.getKeyVersion(keyId, version)
    if (!stored) throw new MaterialUnavailableError('key material version not found')
    const material = await this.rootKey.unwrap(stored.wrappedMaterial, materialAad(keyId, version))
    const unwrapped = { material, materialId: stored.materialId }
    this.remember(keyId, version, unwrapped)
    return unwrapped
  }

  /** Drops and zeroes cached material of a key (after deletion). */
  forget(keyId: string): void {
    for (const [k, v] of this.cache) {
      if (k.startsWith(`${keyId}/`)) {
        v.material.fill(0)
        this.cache.delete(k)
      }
    }
  }

  private remember(keyId: string, version: number, unwrapped: UnwrappedVersion): void {
    this.cache.set(`${keyId}/${version}`, unwrapped)
    if (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
  }
}
