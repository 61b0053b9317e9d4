// The custody half of the storage contract: root-key migration (every wrapped secret, listed and replaced by
// compare-and-set) and backup/restore (a whole-store snapshot, read consistently and loaded into an empty store).
// Drivers implement these over the logical tables of src/store/snapshot.ts, so a snapshot taken from one
// driver (SQLite) loads into another (PostgreSQL).
import type { SnapshotChunk } from './snapshot.js'

/** The rows that hold a secret wrapped under the root key (settings hold the others; see keys/root-key-migration.ts). */
export type WrappedKind = 'key-version' | 'access-key' | 'role-session'
export const WRAPPED_KINDS: readonly WrappedKind[] = ['key-version', 'access-key', 'role-session']

export interface WrappedSecretRow {
  kind: WrappedKind
  /** `<keyId>/<version>` for a key version, the access key id otherwise. */
  id: string
  wrapped: Uint8Array
}

/** Thrown by importSnapshot() when the target already holds data: a restore never merges. */
export class StoreNotEmptyError extends Error {
  override readonly name = 'StoreNotEmptyError'
}

export interface CustodyStore {
  /**
   * Up to `limit` rows of `kind`, in id order (key versions: by key id, then version number), strictly after
   * the row `after` names. Expired role sessions included: their secrets are wrapped too.
   */
  listWrappedSecrets(kind: WrappedKind, after: string | undefined, limit: number): Promise<WrappedSecretRow[]>
  /**
   * Replaces the row's wrapped secret with `next` in one atomic write, only if it still holds exactly `previous`.
   * Returns false (changing nothing) when it does not: rewrapped meanwhile, or gone. Nothing else in the row changes.
   */
  replaceWrappedSecret(kind: WrappedKind, id: string, previous: Uint8Array, next: Uint8Array): Promise<boolean>
  /** Sets the setting to `next` only if it is exactly `previous`; false otherwise. */
  replaceSetting(name: string, previous: string, next: string): Promise<boolean>
  /**
   * Every row of every snapshot table, from one consistent read snapshot that does not block writers, in
   * SNAPSHOT_TABLES order. Other calls on this store may run meanwhile (SQLite reads through its own connection).
   */
  exportSnapshot(): AsyncIterable<SnapshotChunk>
  /**
   * Loads a snapshot into this store in one transaction: all of it or, on any error or crash, none.
   * Throws StoreNotEmptyError (before writing) unless the store is empty, and Error on a table or column this
   * driver does not know. Nothing else may use the store until it settles.
   */
  importSnapshot(chunks: AsyncIterable<SnapshotChunk>): Promise<{ rows: number }>
}
