// What applyKeySetSync writes, decided once for both drivers from the rows the transaction read (locked, on
// PostgreSQL): a pure function, so the SQLite and PostgreSQL drivers cannot drift apart in what they apply.
import type { KeyRecord, KeyState, KeyVersion, RotationSchedule, Tag } from '../keys/key.js'
import { primaryRegionOf, replicaStorageId } from '../keys/regional-key.js'
import type { KeySetSyncResult, KeySetSyncWrite } from './peer-sync-store.js'
import { StoreConflictError } from './store.js'

export interface KeySetSyncPlan {
  /** Mirror rows to destroy (storage ids). */
  deletes: string[]
  inserts: { key: KeyRecord; tags: Tag[] }[]
  /** Version rows to insert, each under its row's storage id. */
  versions: KeyVersion[]
  /** Existing rows whose shared fields change. */
  updates: { keyId: string; currentVersion: number; primaryRegion: string }[]
  schedules: { keyId: string; rotation: RotationSchedule | null }[]
  /** Rows that leave Updating for Enabled. */
  finishUpdating: string[]
  /** Local rows of an imported set that gained versions they must still import: PendingImport, as ImportKeyMaterial's rule. */
  awaitImport: string[]
  result: KeySetSyncResult
}

/** What a row already holds: version number → material id. */
export type HeldVersions = ReadonlyMap<string, ReadonlyMap<number, string>>

/** States an import does not change (as the drivers' keyAwaitsImport). */
const AWAITS_NO_IMPORT: ReadonlySet<KeyState> = new Set(['PendingImport', 'PendingDeletion', 'PendingReplicaDeletion'])

function refuse(message: string): never {
  throw new StoreConflictError(message)
}

function checkSameSet(write: KeySetSyncWrite, existing: KeyRecord[], storageIdOf: (region: string) => string, served: ReadonlySet<string>): void {
  for (const k of existing) {
    if (k.accountId !== write.accountId) refuse('The key set belongs to another account here.')
    if (k.keySpec !== write.keySpec || k.keyUsage !== write.keyUsage || k.origin !== write.origin || !k.multiRegion) {
      refuse('The key set has another key spec, key usage or origin here.')
    }
    if (k.keyId !== storageIdOf(k.region)) refuse('The key set has another first Region here.')
    // Only the primary's deployment speaks for the set: a peer cannot move a local primary, neither to its own
    // Region nor to another Region served here (only this deployment's UpdatePrimaryRegion does that). Naming the
    // local primary itself is a retried hand-over, which changes nothing.
    if (served.has(k.region) && primaryRegionOf(k) === k.region && write.primaryRegion !== k.region) {
      refuse(`The key set's primary is in ${k.region}, a Region this deployment serves.`)
    }
  }
  // A primary in a Region served here is a regional key this deployment holds (a peer hands the primary only to
  // a replica it has); otherwise the local rows would name a primary that exists nowhere.
  if (served.has(write.primaryRegion) && !existing.some((k) => k.region === write.primaryRegion)) {
    refuse(`The key set has no regional key in ${write.primaryRegion} here to be its primary.`)
  }
}

/** The versions `keyId` lacks, under its storage id; a held number with other material is a conflict. */
function missingVersions(write: KeySetSyncWrite, keyId: string, held: ReadonlyMap<number, string> | undefined): KeyVersion[] {
  const out: KeyVersion[] = []
  for (const v of write.versions) {
    const materialId = held?.get(v.version)
    if (materialId === undefined) out.push({ ...v, keyId })
    else if (materialId !== v.materialId) refuse(`Version ${v.version} of the key set is held here with other key material.`)
  }
  return out
}

function sameSchedule(a: RotationSchedule | undefined | null, b: RotationSchedule | null): boolean {
  return (a ?? null) === null ? b === null : b !== null && a!.periodDays === b.periodDays && a!.nextRotationDate.getTime() === b.nextRotationDate.getTime()
}

/** The set's rows in Regions served here, in storage-id order (the reply's members). */
function localRows(rows: KeyRecord[], served: ReadonlySet<string>): KeyRecord[] {
  return rows.filter((k) => served.has(k.region)).sort((a, b) => (a.keyId < b.keyId ? -1 : 1))
}

export function planKeySetSync(write: KeySetSyncWrite, existing: KeyRecord[], held: HeldVersions): KeySetSyncPlan {
  const served = new Set(write.servedRegions)
  const storageIdOf = (region: string) => (region === write.firstRegion ? write.publicId : replicaStorageId(write.publicId, region))
  checkSameSet(write, existing, storageIdOf, served)
  const plan: KeySetSyncPlan = { deletes: [], inserts: [], versions: [], updates: [], schedules: [], finishUpdating: [], awaitImport: [], result: { local: [], changed: false, primaryMoved: false } }
  // The primary is already here (checkSameSet let through only a message naming it: a retried hand-over or a stale
  // view): this deployment is the set's authority, so a peer's view adds nothing. Applying it would let any link
  // make material of its choosing the primary's current version, or create and drop this primary's mirrors.
  if (existing.some((k) => served.has(k.region) && primaryRegionOf(k) === k.region)) {
    plan.result.local = localRows(existing, served)
    return plan
  }
  // A set with no regional key here, and none to create, is not this deployment's to mirror: a sync for it is
  // stale (the local replica was deleted, or never created) and writes nothing but the removal of its mirrors.
  if (!existing.some((k) => served.has(k.region)) && !(write.replica && served.has(write.replica.key.region))) {
    plan.deletes.push(...existing.map((k) => k.keyId))
    return plan
  }
  const byRegion = new Map(existing.map((k) => [k.region, k]))
  const named = new Set(write.regions)
  const after: KeyRecord[] = []
  for (const k of existing) {
    if (!served.has(k.region) && !named.has(k.region)) plan.deletes.push(k.keyId)
  }
  // New rows: mirrors for named Regions not served here, and the replica.
  for (const region of write.regions) {
    if (served.has(region) || byRegion.has(region)) continue
    const mirror: KeyRecord = {
      keyId: storageIdOf(region), accountId: write.accountId, region, createdAt: write.createdAt, description: '', keySpec: write.keySpec,
      keyUsage: write.keyUsage, origin: write.origin, keyState: 'Enabled', policy: write.mirrorPolicy, currentVersion: write.currentVersion,
      multiRegion: true, primaryRegion: write.primaryRegion,
    }
    plan.inserts.push({ key: mirror, tags: [] })
  }
  const replica = write.replica
  if (replica && served.has(replica.key.region) && !byRegion.has(replica.key.region)) {
    if (replica.key.keyId !== storageIdOf(replica.key.region)) refuse('The replica is not stored under the storage id its Region implies.')
    plan.inserts.push(replica)
    plan.result.created = replica.key
  }
  for (const { key } of plan.inserts) {
    const versions = missingVersions(write, key.keyId, undefined)
    plan.versions.push(...versions)
    after.push(key)
    if (served.has(key.region)) plan.result.changed = true
  }
  for (const k of existing) {
    if (plan.deletes.includes(k.keyId)) continue
    const added = missingVersions(write, k.keyId, held.get(k.keyId))
    plan.versions.push(...added)
    const currentVersion = Math.max(k.currentVersion, write.currentVersion)
    let next: KeyRecord = { ...k, currentVersion, primaryRegion: write.primaryRegion }
    if (currentVersion !== k.currentVersion || write.primaryRegion !== k.primaryRegion) {
      plan.updates.push({ keyId: k.keyId, currentVersion, primaryRegion: write.primaryRegion })
    }
    const local = served.has(k.region)
    if (local && (added.length > 0 || currentVersion !== k.currentVersion || write.primaryRegion !== k.primaryRegion)) plan.result.changed = true
    // The primary moved to this local row: it takes the shared schedule and finishes the move.
    if (local && k.region === write.primaryRegion && primaryRegionOf(k) !== k.region) {
      plan.result.primaryMoved = true
      if (!sameSchedule(k.rotation, write.rotation)) plan.schedules.push({ keyId: k.keyId, rotation: write.rotation })
      const { rotation: _old, ...rest } = next
      next = write.rotation ? { ...rest, rotation: write.rotation } : rest
      if (k.keyState === 'Updating') {
        plan.finishUpdating.push(k.keyId)
        next = { ...next, keyState: 'Enabled' }
      }
    }
    // A key is usable only while every version's imported material is here (keyTakesImport/keyAwaitsImport): a
    // new imported version arrives without bytes, so the row waits for its import like a key whose material
    // expired, rather than staying Enabled with a current version it cannot encrypt with.
    if (local && added.some((v) => v.imported?.importState === 'PENDING_IMPORT') && !AWAITS_NO_IMPORT.has(k.keyState)) {
      plan.awaitImport.push(k.keyId)
      next = { ...next, keyState: 'PendingImport' }
    }
    after.push(next)
  }
  plan.result.local = localRows(after, served)
  return plan
}
