// The identity of a regional key. A multi-Region replica has the SAME public key id as its primary, in another
// Region, so the public id alone cannot name a stored row. Every stored row therefore has its own storage id
// (`KeyRecord.keyId`, the `key_id` column of keys, key_versions, tags, grants, aliases, last use, the change
// feed, the caches and the keyring): a key's first row keeps its public id, a replica is stored as
// `<public id>/<region>`. `/` never occurs in a public id (key-id.ts), so no storage id of one key can equal
// another key's. Only the edges (ARNs, KeyId members, ciphertext headers, material bindings) show the public id.
import type { Store } from '../store/store.js'
import type { KeyRecord } from './key.js'

/** The public key id of a stored key id (a replica's storage id without its `/<region>`). */
export function publicKeyId(storageId: string): string {
  const slash = storageId.indexOf('/')
  return slash === -1 ? storageId : storageId.slice(0, slash)
}

/** The storage id a replica of `publicId` in `region` is kept under. */
export function replicaStorageId(publicId: string, region: string): string {
  return `${publicId}/${region}`
}

/**
 * The key with public id `publicId` in `region`, or undefined. Both candidate rows are checked to be in
 * `region`, so a request in one Region can never be handed another Region's row.
 */
export async function getRegionalKey(store: Pick<Store, 'getKey'>, publicId: string, region: string): Promise<KeyRecord | undefined> {
  if (publicId.includes('/')) return undefined
  const first = await store.getKey(publicId)
  if (first && first.region === region) return first
  if (!publicId.startsWith('mrk-')) return undefined
  const replica = await store.getKey(replicaStorageId(publicId, region))
  return replica && replica.region === region ? replica : undefined
}

/** The Region that holds a multi-Region key's primary (the key's own Region for a key made before replicas). */
export function primaryRegionOf(key: Pick<KeyRecord, 'region' | 'primaryRegion'>): string {
  return key.primaryRegion ?? key.region
}

/**
 * A row in a Region this deployment does not serve: its copy of a peer deployment's regional key
 * (docs/multi-region-peers-plan.md). No request reaches it and no job acts on it; the peer owns it.
 */
export function isMirror(key: Pick<KeyRecord, 'region'>, servedRegions: ReadonlySet<string>): boolean {
  return !servedRegions.has(key.region)
}

export function isReplica(key: Pick<KeyRecord, 'multiRegion' | 'region' | 'primaryRegion'>): boolean {
  return key.multiRegion && primaryRegionOf(key) !== key.region
}
