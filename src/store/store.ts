// The storage contract. Every driver (SQLite now, PostgreSQL later) implements it and runs store/contract.ts.
// Each method is one atomic, durable unit: when its promise resolves, the change survives kill -9.
import type { AccessKeyRecord, AccountRecord } from '../auth/principal.js'
import type { AuditStore } from './audit-store.js'
import type { ChangeStore } from './change-store.js'
import type { CustodyStore } from './custody-store.js'
import type { GrantStore } from './grant-store.js'
import type { KeyUsageStore } from './key-usage-store.js'
import type { MultiRegionStore } from './multi-region-store.js'
import type { PeerOutboxStore } from './peer-outbox-store.js'
import type { PeerSyncStore } from './peer-sync-store.js'
import type { PrincipalStore } from './principal-store.js'
import type { RotationStore } from './rotation-store.js'
import type { AliasRecord, KeyRecord, KeyVersion, Tag } from '../keys/key.js'

/** Thrown when an insert collides with an existing row (alias name, access key id, key id). */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError'
}

/** Thrown when a write would exceed a per-key limit checked inside the store's transaction. */
export class StoreLimitError extends Error {
  override readonly name = 'StoreLimitError'
}

export interface Page<T> {
  items: T[]
  /** Sort key of the last item when more remain; the caller turns it into an opaque marker. */
  nextAfter?: string
}

/** The audit methods (hash chain, digests, lookup) are declared in audit-store.ts. */
/** The change feed (change-store.ts) records every write to a cached table, in that write's transaction. */
/** Last-use tracking (key-usage-store.ts) is written in periodic batches, not per request; root-key migration and backup/restore (custody-store.ts). */
export interface Store extends AuditStore, PrincipalStore, GrantStore, ChangeStore, KeyUsageStore, RotationStore, CustodyStore, MultiRegionStore, PeerSyncStore, PeerOutboxStore {
  close(): Promise<void>

  /** Returns the stored value, or stores `value` and returns it when none exists yet (first-run settings). */
  getOrInitSetting(name: string, value: string): Promise<string>
  getSetting(name: string): Promise<string | undefined>

  insertAccount(account: AccountRecord): Promise<void>
  getAccount(accountId: string): Promise<AccountRecord | undefined>
  /** Throws StoreConflictError when the access key id exists. */
  insertAccessKey(key: AccessKeyRecord): Promise<void>
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>

  /**
   * Creates a key with its first material version and tags, atomically. Throws StoreConflictError on a duplicate id,
   * and StoreLimitError (creating nothing) when `maxKeys` is given and the key's account already has that many keys
   * in the key's region (counting every key not yet destroyed, pending deletion included, as AWS does).
   */
  insertKey(key: KeyRecord, version: KeyVersion | null, tags: Tag[], maxKeys?: number): Promise<void>
  getKey(keyId: string): Promise<KeyRecord | undefined>
  /** Keys of one account and region ordered by keyId, starting after `after`. */
  listKeys(accountId: string, region: string, after: string | undefined, limit: number): Promise<Page<KeyRecord>>
  /**
   * Replaces the key's state, description, policy and deletion date. Never the current version or the rotation
   * schedule: those change only through rotateKey/addKeyVersion/setKeyRotation, so an update made from a key read
   * before a rotation cannot undo it. A compare-and-set: writes only while the stored state, deletion date,
   * pending window, policy, policy bindings and description still equal `read`'s (the copy `next` was made from),
   * and returns false, changing nothing, otherwise (or when the key is gone). Callers in operations go through
   * operations/change-key.ts, which re-reads, re-checks and retries.
   */
  updateKey(next: KeyRecord, read: KeyRecord): Promise<boolean>
  /** Keys in PendingDeletion whose deletion date is at or before `now`. */
  listKeysDueForDeletion(now: Date): Promise<KeyRecord[]>
  /**
   * Removes the key, all its material versions, aliases and tags. Material is overwritten before the rows go.
   * With `dueBy` (the deletion job), only while the key is still PendingDeletion with a deletion date at or
   * before it: a CancelKeyDeletion that landed after the job read the key wins. Returns whether it was removed.
   */
  destroyKey(keyId: string, dueBy?: Date): Promise<boolean>

  getKeyVersion(keyId: string, version: number): Promise<KeyVersion | undefined>
  /** Adds a version and makes it current, atomically. */
  addKeyVersion(version: KeyVersion): Promise<void>
  /** Every material version of the key, oldest first (empty for an unknown key). */
  listAllKeyVersions(keyId: string): Promise<KeyVersion[]>
  /**
   * Stores imported material and, in the same transaction, makes it the key's current material when the key
   * has none (current version 0), and moves a PendingImport key to Enabled once none of its material awaits
   * import; no other key field is written, so a concurrent PutKeyPolicy or ScheduleKeyDeletion is never undone.
   * A new version number inserts a row; an existing one is replaced (wrapped material, formats, import state,
   * expiration, description; never its pending-rotation flag or rotation record, which only promotePendingVersion
   * changes) only if it holds the same material id. Throws StoreConflictError, changing nothing, when the number is
   * taken by other material.
   */
  saveImportedVersion(version: KeyVersion): Promise<void>
  /**
   * Destroys one imported material's bytes (overwritten, then emptied), marks it PENDING_IMPORT and moves the
   * key to PendingImport unless it is pending deletion, in one transaction; the row and its id stay. With
   * `expiredBy`, only material whose ValidTo is at or before it (a re-import that moved ValidTo wins). Returns
   * false, changing nothing, when the material is not imported (any more), or not expired by then.
   */
  deleteImportedVersion(keyId: string, version: number, expiredBy?: Date): Promise<boolean>
  /** Up to `limit` imported materials whose ValidTo is at or before `now`, still IMPORTED, earliest first. */
  listExpiredImportedVersions(now: Date, limit: number): Promise<KeyVersion[]>
  /** The key's material imported as NEW_KEY_MATERIAL that is not current yet (at most one exists). */
  getPendingRotationVersion(keyId: string): Promise<KeyVersion | undefined>
  /**
   * Makes pending material current: clears its pending flag, records it as an ON_DEMAND rotation at `rotatedAt`
   * and sets the key's current version, in one transaction, only if the key is Enabled and the material still
   * pending and IMPORTED. Returns false, changing nothing, otherwise. Throws StoreLimitError, changing nothing,
   * when the key already has `maxOnDemand` ON_DEMAND rotations (generated or promoted), counted in that transaction.
   */
  promotePendingVersion(keyId: string, version: number, rotatedAt: Date, maxOnDemand: number): Promise<boolean>
  /** Up to `limit` versions still wrapped in the legacy format 1, ordered by key id then version. */
  listLegacyWrappedVersions(limit: number): Promise<Array<{ keyId: string; version: number }>>
  /**
   * Replaces a format-1 row's wrapped material (and id) with its format-2 rewrap in one atomic write, only if
   * the row still holds `previous` in format 1. Returns false (changing nothing) when it does not: another
   * process rewrapped it first, or the key was destroyed.
   */
  rewrapKeyVersion(previous: KeyVersion, rewrapped: Pick<KeyVersion, 'wrappedMaterial' | 'materialId' | 'materialIdFormat'>): Promise<boolean>

  /** Throws StoreConflictError when the alias exists; StoreLimitError when the key already has `maxPerKey` aliases. */
  insertAlias(alias: AliasRecord, maxPerKey: number): Promise<void>
  getAlias(accountId: string, region: string, aliasName: string): Promise<AliasRecord | undefined>
  /** Re-points an existing alias. Throws StoreLimitError when the new key already has `maxPerKey` aliases. */
  updateAlias(alias: AliasRecord, maxPerKey: number): Promise<void>
  /** Returns false when no such alias existed. */
  deleteAlias(accountId: string, region: string, aliasName: string): Promise<boolean>
  /** Aliases ordered by name, optionally only those of one key. */
  listAliases(accountId: string, region: string, keyId: string | undefined, after: string | undefined, limit: number): Promise<Page<AliasRecord>>

  listTags(keyId: string): Promise<Tag[]>
  /** Adds or overwrites tags. Throws StoreLimitError (and changes nothing) when the key would exceed `maxTags`. */
  putTags(keyId: string, tags: Tag[], maxTags: number): Promise<void>
  deleteTags(keyId: string, tagKeys: string[]): Promise<void>

  /**
   * Takes or renews the lease `name` for `holder` until `now + ttlMs`, atomically. Returns false (changing
   * nothing) while another holder's lease is unexpired.
   */
  takeLease(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean>
  /** Gives the lease up if `holder` has it, so another process need not wait for it to expire. */
  releaseLease(name: string, holder: string): Promise<void>
}
