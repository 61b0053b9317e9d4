// The change-feed half of the storage contract: what every write to a cached table recorded (the driver
// records it in the write's own transaction), read in commit order, and pruned by age.

/** What kind of entity a change touched; `entity` names which one (docs/caching.md has the list). */
export type ChangeKind =
  | 'account' | 'access_key' | 'role_session' | 'user' | 'role' | 'identity_policy' | 'principal_tags'
  | 'key' | 'key_version' | 'tags' | 'grants' | 'alias' | 'key_aliases'

export interface ChangeRow {
  /** Monotonic over the whole store: never reused, larger for later commits. */
  seq: number
  kind: ChangeKind
  entity: string
  op: 'I' | 'U' | 'D'
}

export interface ChangeBatch {
  /** Changes with seq greater than the `after` asked for, in seq order. */
  changes: ChangeRow[]
  /** Rows through this seq may have been pruned: a reader whose `after` is below it has missed changes. */
  prunedThrough: number
}

export interface ChangeStore {
  /** Up to `limit` changes after `after`, with the prune horizon read in the same snapshot. */
  readChanges(after: number, limit: number): Promise<ChangeBatch>
  /** The seq of the latest change (0 before any): where a new reader starts. */
  latestChangeSeq(): Promise<number>
  /** Deletes changes recorded before `before` and moves the horizon past them; returns how many went. */
  pruneChanges(before: Date): Promise<number>
  /**
   * Optional early wake-up (PostgreSQL LISTEN/NOTIFY): calls `listener` soon after any process commits a
   * change. Best effort only; readers still poll. Returns the unsubscribe function.
   */
  watchChanges?(listener: () => void): () => void
}
