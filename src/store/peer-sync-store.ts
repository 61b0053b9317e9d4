// The peer half of the multi-Region storage contract (docs/multi-region-peers-plan.md, "SyncKeySet"): a peer
// deployment's view of a key set applied to this store in ONE transaction. Rows in Regions this deployment does
// not serve are mirrors; the rest are its own regional keys.
import type { KeyRecord, KeySpec, KeyUsageType, KeyVersion, OriginType, RotationSchedule, Tag } from '../keys/key.js'

export interface KeySetSyncWrite {
  publicId: string
  accountId: string
  keySpec: KeySpec
  keyUsage: KeyUsageType
  origin: OriginType
  /** When the set's primary was created: a new mirror row's creation date. */
  createdAt: Date
  /** A new mirror row's policy (mirrors serve no request; the account's default policy). */
  mirrorPolicy: string
  primaryRegion: string
  /** The Region stored under the bare public id; every other row is `<public id>/<region>`. */
  firstRegion: string
  /** Every Region of the set as the sender knows it: mirrors are upserted for these, other mirrors deleted. */
  regions: readonly string[]
  /** The Regions this deployment serves (its rows there are never deleted or created as mirrors). */
  servedRegions: readonly string[]
  currentVersion: number
  /** Every version of the set, wrapped under THIS deployment's root key (keyId: the public id; copied per row). */
  versions: KeyVersion[]
  /** The shared automatic-rotation setting, taken by the local row only when the primary moves to it. */
  rotation: RotationSchedule | null
  /** A replica to create in a served Region that has no row of the set yet (its keyId is its storage id). */
  replica?: { key: KeyRecord; tags: Tag[] }
  /** The replica is created only while its account has fewer keys than this in its Region. */
  maxKeys: number
  /** The account row's creation date when it must be created. */
  now: Date
}

export interface KeySetSyncResult {
  /** This deployment's own rows of the set after the write. */
  local: KeyRecord[]
  /** The replica, when this write created it. */
  created?: KeyRecord
  /** A local row was updated in something shared (versions, current version, primary Region). */
  changed: boolean
  /** The primary moved to one of this deployment's rows. */
  primaryMoved: boolean
}

export interface PeerSyncStore {
  /**
   * Applies a peer's key set in one transaction: creates the account row if missing; upserts a mirror row for
   * every named Region not served here and deletes (destroys) this set's other mirror rows; creates `replica` if
   * its Region has no row of the set; gives every row of the set the versions it lacks (never replacing one it
   * has), current version max(held, sent) and the primary Region; when the primary moves to a local row, that
   * row takes `rotation` and leaves Updating for Enabled. Throws StoreConflictError, changing nothing, when a
   * version number is held with other material, the set's account, spec, usage or origin differ, a row is stored
   * under another storage id than `firstRegion` implies, or a local row is the primary and the write names a
   * primary Region not served here; StoreLimitError, changing nothing, when the replica's account already has
   * `maxKeys` keys in its Region (counted in the transaction, as insertKey counts).
   */
  applyKeySetSync(write: KeySetSyncWrite): Promise<KeySetSyncResult>
}
