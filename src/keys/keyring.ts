// Access to plaintext key material: created and wrapped under the root key, unwrapped on demand into a
// bounded in-memory cache. The only place where material crosses the root-key boundary. Material is lent
// to a callback, never handed out: an entry that leaves the cache (evicted, forgotten) is zeroed as soon
// as no callback still uses it.
import { RecencyMap } from '../cache/recency-map.js'
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import type { KeyRecord, KeyVersion } from './key.js'
import { publicKeyId } from './regional-key.js'
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

interface Entry {
  unwrapped: UnwrappedVersion
  /** What the material was unwrapped as: a lookup as anything else must unwrap again (and fail). */
  spec: string
  usage: string
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

/**
 * Material is bound to the PUBLIC key id (keys/regional-key.ts), so the same wrapped material serves every
 * regional key of a multi-Region set; the cache and the store are keyed by the storage id.
 */
function bindingOf(key: MaterialOwner, version: number): MaterialBinding {
  return { keyId: publicKeyId(key.keyId), version, keySpec: key.keySpec, keyUsage: key.keyUsage }
}

function cacheKeyOf(key: MaterialOwner, version: number): string {
  return `${key.keyId}/${version}`
}

export class Keyring {
  private readonly cache: RecencyMap<string, Entry>
  /** Cache lookups that found (hits) or had to unwrap (misses) material, for the monitoring counters. */
  readonly stats = { hits: 0, misses: 0 }
  /** Bumped by every forget(): a miss that loaded across one must not cache what it loaded. */
  private forgets = 0
  private readonly rootKey: RootKey
  private readonly store: Store
  private readonly maxEntries: number
  private readonly forgetElsewhere: ((keyId: string) => Promise<void>) | undefined

  constructor(rootKey: RootKey, store: Store, options: KeyringOptions = {}) {
    this.rootKey = rootKey
    this.store = store
    this.maxEntries = options.maxEntries ?? 10_000
    this.cache = RecencyMap.forCapacity(this.maxEntries)
    this.forgetElsewhere = options.forgetElsewhere
  }

  /**
   * Wraps freshly generated material as version `version` of `key`, bound to its spec and usage; the caller
   * stores it. Takes ownership of `material`. With `cache: false` the material is zeroed instead of cached:
   * for a version whose store write may lose a race (a rotation), so a losing candidate is never served.
   */
  async wrapVersion(key: MaterialOwner, version: number, material: Uint8Array, createdAt: Date, options: { cache?: boolean } = {}): Promise<KeyVersion> {
    const binding = bindingOf(key, version)
    const wrappedMaterial = await this.rootKey.wrap(material, materialAad(currentWrapFormat, binding))
    const materialId = deriveMaterialId(currentMaterialIdFormat, binding.keyId, material)
    if (options.cache === false) material.fill(0)
    else this.remember(cacheKeyOf(key, version), binding, { material, materialId })
    return { keyId: key.keyId, version, materialId, materialIdFormat: currentMaterialIdFormat, wrappedMaterial, wrapFormat: currentWrapFormat, createdAt }
  }

  /**
   * Seals a secret that is not key material (an import token's wrapping key) under the root key. Its `aad`
   * must carry its own label, so no such blob can pass for wrapped material or the other way round.
   */
  sealSecret(secret: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    return this.rootKey.wrap(secret, aad)
  }

  /** Opens what sealSecret sealed; throws KeyWrapError when the blob, the aad or the root key does not match. */
  openSecret(sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
    return this.rootKey.unwrap(sealed, aad)
  }

  /**
   * Lends the plaintext material of one version of `key`, as the key's spec and usage say it is, to `use`,
   * which must not keep it past its own settling. Throws MaterialUnavailableError when the version is gone,
   * KeyWrapError when the stored material is not bound to this key, version, spec and usage,
   * MaterialIntegrityError when its stored id is not its own, and whatever `use` throws.
   */
  async withMaterial<T>(key: MaterialOwner, version: number, use: (unwrapped: UnwrappedVersion) => T | Promise<T>): Promise<T> {
    const entry = await this.lease(key, version)
    try {
      return await use(entry.unwrapped)
    } finally {
      entry.leases--
      if (entry.retired && entry.leases === 0) entry.unwrapped.material.fill(0)
    }
  }

  /** Drops and zeroes (once unused) the cached material of a key, here and through `forgetElsewhere`. */
  async forget(keyId: string): Promise<void> {
    this.forgets++
    for (const [name, entry] of this.cache) {
      if (!name.startsWith(`${keyId}/`)) continue
      this.cache.delete(name)
      this.retire(entry)
    }
    await this.forgetElsewhere?.(keyId)
  }

  /** Forgets every key's material (the change feed lost track of what changed). */
  async forgetAll(): Promise<void> {
    const keyIds = new Set([...this.cache.keys()].map((name) => name.slice(0, name.lastIndexOf('/'))))
    for (const keyId of keyIds) await this.forget(keyId)
  }

  /** The entry with one more lease, taken before anything else can run, so no eviction can zero it first. */
  private async lease(key: MaterialOwner, version: number): Promise<Entry> {
    const b = bindingOf(key, version)
    const cacheKey = cacheKeyOf(key, version)
    const hit = this.cache.use(cacheKey)
    if (hit && hit.spec === b.keySpec && hit.usage === b.keyUsage) {
      this.stats.hits++
      hit.leases++
      return hit
    }
    this.stats.misses++
    const forgets = this.forgets
    const stored = await this.store.getKeyVersion(key.keyId, version)
    if (!stored) throw new MaterialUnavailableError('key material version not found')
    // Imported material that was deleted or expired keeps its row but no bytes until it is imported again.
    if (stored.imported?.importState === 'PENDING_IMPORT') throw new MaterialUnavailableError('key material is pending import')
    const material = await this.rootKey.unwrap(stored.wrappedMaterial, materialAad(stored.wrapFormat, b))
    requireOwnMaterialId(stored, material)
    if (this.forgets !== forgets) {
      // Forgotten while it loaded (rewrapped, deleted, destroyed): this caller only, zeroed when it is done.
      return { unwrapped: { material, materialId: stored.materialId }, spec: b.keySpec, usage: b.keyUsage, leases: 1, retired: true }
    }
    const entry = this.remember(cacheKey, b, { material, materialId: stored.materialId })
    entry.leases++
    return entry
  }

  /**
   * Caches `unwrapped` unless a concurrent miss cached the same version, as the same spec and usage, first
   * (then ours is zeroed and theirs returned); evicts the least recently used entry past the bound.
   */
  private remember(cacheKey: string, b: MaterialBinding, unwrapped: UnwrappedVersion): Entry {
    const existing = this.cache.get(cacheKey)
    if (existing && existing.spec === b.keySpec && existing.usage === b.keyUsage) {
      if (existing.unwrapped.material !== unwrapped.material) unwrapped.material.fill(0)
      return existing
    }
    if (existing) {
      this.cache.delete(cacheKey)
      this.retire(existing)
    }
    const entry: Entry = { unwrapped, spec: b.keySpec, usage: b.keyUsage, leases: 0, retired: false }
    this.cache.set(cacheKey, entry)
    if (this.cache.size > this.maxEntries) {
      const [oldest, evicted] = this.cache.oldest()!
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

/** The row's material id is trusted only once it is recomputed from the material. Throws MaterialIntegrityError. */
export function requireOwnMaterialId(stored: Pick<KeyVersion, 'keyId' | 'materialId' | 'materialIdFormat'>, material: Uint8Array): void {
  if (deriveMaterialId(stored.materialIdFormat, publicKeyId(stored.keyId), material) !== stored.materialId) {
    material.fill(0)
    throw new MaterialIntegrityError('stored key material id does not match its material')
  }
}
