// The multi-Region half of the storage contract (issue 14). A multi-Region key set is one row per Region: the
// first under the public id, each replica under `<public id>/<region>` (keys/regional-key.ts). Material
// versions are copied to every row of the set, so each Region decrypts with its own rows only.
import type { KeyRecord, KeyState, KeyVersion, Tag } from '../keys/key.js'

export interface MultiRegionStore {
  /** Every regional key of the set whose public id is `publicId` (primary and replicas, any Region), by storage id. */
  listRegionalKeys(publicId: string): Promise<KeyRecord[]>
  /**
   * Creates a replica with copies of its primary's material versions and its own tags, atomically, only while
   * the primary (`primaryKeyId`, a storage id) is still at `primaryVersion` and still has no regional key in the
   * replica's Region. Throws StoreConflictError when a key of the set is already in that Region, StoreLimitError
   * (creating nothing) when the replica's account has `maxKeys` keys in that Region. Returns false, creating
   * nothing, when the primary rotated or went since it was read (the caller reads again).
   */
  insertReplicaKey(replica: KeyRecord, versions: KeyVersion[], tags: Tag[], primaryKeyId: string, primaryVersion: number, maxKeys: number): Promise<boolean>
  /** Moves the key from state `from` to `to` only if it is still in `from`. Returns whether it moved. */
  finishKeyTransition(keyId: string, from: KeyState, to: KeyState): Promise<boolean>
  /** Keys in Creating or Updating (a crash interrupted a ReplicateKey or UpdatePrimaryRegion), for the jobs to finish. */
  listKeysInTransition(): Promise<KeyRecord[]>
  /**
   * UpdatePrimaryRegion in one transaction, only while every row of the set still names `fromRegion` as the
   * primary and a row exists in `toRegion`: sets `toRegion` on every row, moves the automatic-rotation schedule
   * from the old primary's row to the new one's, and puts both keys, if Enabled, in Updating. Returns false,
   * changing nothing, otherwise.
   */
  updatePrimaryRegion(publicId: string, fromRegion: string, toRegion: string): Promise<boolean>
  /**
   * Keys in PendingReplicaDeletion whose set has no other regional key left: each moves to PendingDeletion with
   * its deletion date `now` plus its waiting period, in one transaction. Returns the keys as they now are.
   * With `servedRegions`, only keys in those Regions move: a mirror of a peer's key is the peer's to delete.
   */
  startReplicaFreeDeletions(now: Date, servedRegions?: readonly string[]): Promise<KeyRecord[]>
}
