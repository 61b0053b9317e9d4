// Access to plaintext key material: created and wrapped under the root key, unwrapped on demand into a
// bounded in-memory cache. The only place where material crosses the root-key boundary.
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import type { KeyRecord, KeyVersion } from './key.js'
import { currentMaterialIdFormat, currentWrapFormat, deriveMaterialId, materialAad, type MaterialBinding } from './material-binding.js'

export class MaterialUnavailableError extends Error {
  override readonly name = 'MaterialUnavailableError'
}

/** The stored material id is not the one its material yields: the row was tampered with. A server fault. */
export class MaterialIntegrityError extends Error {
  override readonly name = 'MaterialIntegrityError'
}

/** The key fields material is bound to. */
export type MaterialOwner = Pick<KeyRecord, 'keyId' | 'keySpec' | 'keyUsage'>

/** Plaintext material of one version with its public id. */
export interface UnwrappedVersion {
  material: Uint8Array
  materialId: string
}

interface CacheEntry extends UnwrappedVersion {
  /** What the material was unwrapped as: a lookup as anything else must unwrap again (and fail). */
  spec: string
  usage: string
}

export class Keyring {
  private readonly cache = new Map<string, CacheEntry>()
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

  /** Wraps freshly generated material as version `version` of `key`, bound to its spec and usage; the caller stores it. */
  async wrapVersion(key: MaterialOwner, version: number, material: Uint8Array, createdAt: Date): Promise<KeyVersion> {
    const binding = { keyId: key.keyId, version, keySpec: key.keySpec, keyUsage: key.keyUsage }
    const wrappedMaterial = await this.rootKey.wrap(material, materialAad(currentWrapFormat, binding))
    const materialId = deriveMaterialId(currentMaterialIdFormat, key.keyId, material)
    this.remember(binding, { material, materialId })
    return { keyId: key.keyId, version, materialId, materialIdFormat: currentMaterialIdFormat, wrappedMaterial, wrapFormat: currentWrapFormat, createdAt }
  }

  /**
   * Returns the plaintext material of one version of `key`, as the key's spec and usage say it is.
   * Throws MaterialUnavailableError when the version is gone, KeyWrapError when the stored material is not
   * bound to this key, version, spec and usage, and MaterialIntegrityError when its stored id is not its own.
   */
  async material(key: MaterialOwner, version: number): Promise<UnwrappedVersion> {
    const cacheKey = `${key.keyId}/${version}`
    const hit = this.cache.get(cacheKey)
    if (hit && hit.spec === key.keySpec && hit.usage === key.keyUsage) {
      this.stats.hits++
      // Re-insert to mark as most recently used.
      this.cache.delete(cacheKey)
      this.cache.set(cacheKey, hit)
      return { material: hit.material, materialId: hit.materialId }
    }
    this.stats.misses++
    const stored = await this.store.getKeyVersion(key.keyId, version)
    if (!stored) throw new MaterialUnavailableError('key material version not found')
    const binding = { keyId: key.keyId, version, keySpec: key.keySpec, keyUsage: key.keyUsage }
    const material = await this.rootKey.unwrap(stored.wrappedMaterial, materialAad(stored.wrapFormat, binding))
    requireOwnMaterialId(stored, material)
    const unwrapped = { material, materialId: stored.materialId }
    this.remember(binding, unwrapped)
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

  private remember(b: MaterialBinding, unwrapped: UnwrappedVersion): void {
    this.cache.set(`${b.keyId}/${b.version}`, { ...unwrapped, spec: b.keySpec, usage: b.keyUsage })
    if (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
  }
}

/** The row's material id is trusted only once it is recomputed from the material. Throws MaterialIntegrityError. */
export function requireOwnMaterialId(stored: Pick<KeyVersion, 'keyId' | 'materialId' | 'materialIdFormat'>, material: Uint8Array): void {
  if (deriveMaterialId(stored.materialIdFormat, stored.keyId, material) !== stored.materialId) {
    material.fill(0)
    throw new MaterialIntegrityError('stored key material id does not match its material')
  }
}
