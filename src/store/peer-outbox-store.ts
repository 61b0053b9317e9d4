// The sender side of multi-Region sets split between deployments (docs/multi-region-peers-plan.md, "Outbox and
// delivery"): one pending message per (set, peer Region, kind). An enqueue is written BEFORE the local change it
// announces, so a crash between the two leaves a harmless extra sync, never a lost one. The delivery job sends a
// message built from the set's CURRENT state, so one row stands for any number of changes: `seq` tells a
// delivery that raced a newer change (the row was bumped meanwhile) not to delete the row.

export type PeerMessageKind = 'sync' | 'forget'

export interface PeerMessage {
  /** The set's public key id (`mrk-…`). */
  publicId: string
  /** The peer Region the message is for. */
  region: string
  kind: PeerMessageKind
  /** Bumped by every enqueue: completePeerMessage deletes only the row it delivered. */
  seq: number
  dueAt: Date
  /** Failed deliveries since the last enqueue (the backoff grows with it). */
  attempts: number
  /** The last delivery's failure, without secrets or material. */
  lastError?: string
  /** ReplicateKey's per-Region properties of the replica to create there (JSON of wire.ts ReplicaToCreate). */
  replicaJson?: string
}

export interface PeerOutboxStore {
  /**
   * Upserts the message: a new row with seq 1, or the existing one with seq + 1, due at `now`, attempts 0, no
   * error. `replicaJson` replaces the stored one when given and is kept when absent.
   */
  enqueuePeerMessage(publicId: string, region: string, kind: PeerMessageKind, now: Date, replicaJson?: string): Promise<void>
  /** Up to `limit` messages due at or before `now`, earliest first. */
  listDuePeerMessages(now: Date, limit: number): Promise<PeerMessage[]>
  /** Every pending message of the set (any Region, kind, due date), by Region then kind. */
  listPeerMessages(publicId: string): Promise<PeerMessage[]>
  /** Deletes the message only while its seq is still `seq` (no enqueue since it was read). Returns whether it went. */
  completePeerMessage(publicId: string, region: string, kind: PeerMessageKind, seq: number): Promise<boolean>
  /** Records a failed delivery (attempts + 1, `error`, due again at `dueAt`) only while its seq is still `seq`. */
  deferPeerMessage(publicId: string, region: string, kind: PeerMessageKind, seq: number, dueAt: Date, error: string): Promise<boolean>
}
