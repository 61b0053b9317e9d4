// The SyncKeySet message a delivery sends, built from the set's CURRENT local state (never from the change that
// queued it: one outbox row stands for every change since the last delivery). Only the deployment holding the
// set's primary speaks for it, or the one handing the primary over to the receiving Region; anything else is
// moot. Material leaves only sealed for the receiver's transport key (transport-wrap.ts).
import type { KeyRecord, KeyVersion } from '../keys/key.js'
import type { Keyring } from '../keys/keyring.js'
import { primaryRegionOf } from '../keys/regional-key.js'
import type { Store } from '../store/store.js'
import { wrapForTransport } from './transport-wrap.js'
import type { KeySetSync, ReplicaToCreate, SyncedVersion } from './wire.js'

/** Where a sync's content comes from; undefined when the message is moot. */
export interface SyncSource {
  set: KeyRecord[]
  /** The local row whose versions are sent: the primary's when it is here. */
  source: KeyRecord
}

/**
 * The set's rows and the local row to send from, or undefined (moot) when: the set is gone, the receiver's Region
 * holds no row of it, no row is local, or the primary is neither here nor being handed to the receiver.
 */
export function syncSource(set: KeyRecord[], served: ReadonlySet<string>, target: string): SyncSource | undefined {
  if (set.length === 0 || !set.some((k) => k.region === target)) return undefined
  const primaryRegion = primaryRegionOf(set[0]!)
  const local = set.filter((k) => served.has(k.region))
  if (local.length === 0 || (!served.has(primaryRegion) && primaryRegion !== target)) return undefined
  const source = local.find((k) => k.region === primaryRegion) ?? local.reduce((a, b) => (b.currentVersion > a.currentVersion ? b : a))
  return { set, source }
}

export interface SyncBuildDeps {
  store: Pick<Store, 'listAllKeyVersions'>
  keyring: Pick<Keyring, 'withMaterial'>
}

/** The receiving Region and its deployment's transport public key (SPKI DER). */
export interface ReceiverKey {
  spki: Uint8Array
  region: string
}

async function syncedVersion(deps: SyncBuildDeps, source: KeyRecord, publicId: string, v: KeyVersion, to: ReceiverKey): Promise<SyncedVersion> {
  const out: SyncedVersion = {
    version: v.version, materialId: v.materialId, materialIdFormat: String(v.materialIdFormat), createdAt: v.createdAt.getTime(),
    ...(v.rotation ? { rotation: { type: v.rotation.type, rotatedAt: v.rotation.rotatedAt.getTime() } } : {}),
  }
  // Imported bytes never travel: each Region imports its own (the receiver keeps the row PENDING_IMPORT).
  if (v.imported) {
    const { expirationModel, validTo, description, pendingRotation } = v.imported
    return { ...out, imported: { expirationModel, ...(validTo ? { validTo: validTo.getTime() } : {}), ...(description !== undefined ? { description } : {}), pendingRotation } }
  }
  const material = await deps.keyring.withMaterial(source, v.version, (u) => wrapForTransport(u.material, to.spki, { keyId: publicId, version: v.version, receiverRegion: to.region }))
  return { ...out, material }
}

/** The message for `to.region`; `replica` (ReplicateKey's properties) only while the receiver's row is still a Creating mirror. */
export async function buildKeySetSync(deps: SyncBuildDeps, publicId: string, { set, source }: SyncSource, to: ReceiverKey, replica?: ReplicaToCreate): Promise<KeySetSync> {
  const primaryRegion = primaryRegionOf(source)
  const primary = set.find((k) => k.region === primaryRegion)
  const schedule = primary?.rotation
  const versions: SyncedVersion[] = []
  for (const v of await deps.store.listAllKeyVersions(source.keyId)) versions.push(await syncedVersion(deps, source, publicId, v, to))
  return {
    keyId: publicId, accountId: source.accountId, primaryRegion, keySpec: source.keySpec, keyUsage: source.keyUsage, origin: source.origin,
    createdAt: (primary ?? source).createdAt.getTime(), currentVersion: source.currentVersion, versions,
    rotation: schedule ? { enabled: true, periodDays: schedule.periodDays, nextRotationAt: schedule.nextRotationDate.getTime() } : { enabled: false },
    regions: [...new Set(set.map((k) => k.region))].sort(),
    // No row under the bare id (its Region's key was destroyed everywhere): no Region maps to it, so none is named.
    firstRegion: set.find((k) => k.keyId === publicId)?.region ?? '',
    ...(replica && set.find((k) => k.region === to.region)?.keyState === 'Creating' ? { replica } : {}),
  }
}
