// The messages one Trent deployment sends another for multi-Region keys whose Regions they split (issue 14,
// docs/multi-region-peers-plan.md). Sent as JSON to `X-Amz-Target: TrentPeer_20261201.<Operation>` on the peer's
// normal port, SigV4-signed for service `trent-peer` with the link credential (config/peer-config.ts). Key
// material only ever travels as TransportWrapped: sealed for the receiving deployment's transport key.
import type { KeySpec, KeyState, KeyUsageType, OriginType, RotationType, Tag } from '../keys/key.js'

export const PEER_TARGET_PREFIX = 'TrentPeer_20261201.'
export const PEER_SIGNING_SERVICE = 'trent-peer'

/** Material wrapped for one receiving deployment's transport key (transport-wrap.ts); never plaintext. */
export interface TransportWrapped {
  /** RSA-OAEP-SHA-256 encryption, under the receiver's transport public key, of a fresh AES-256 key (base64). */
  wrappedKey: string
  /** AES-256-GCM of the material under that key (base64): 12-byte IV ‖ ciphertext ‖ 16-byte tag. */
  sealed: string
  /** SHA-256 (hex) of the receiver's transport public key (SPKI DER) it was wrapped for. */
  transportKeyId: string
}

/** One material version of the set, as the primary side holds it. */
export interface SyncedVersion {
  version: number
  materialId: string
  materialIdFormat: string
  /** Epoch milliseconds. */
  createdAt: number
  rotation?: { type: RotationType; rotatedAt: number }
  /** Absent for imported material (each Region imports its own bytes; the replica keeps the row PENDING_IMPORT). */
  material?: TransportWrapped
  /** Present for imported material: its expiration model, without bytes. */
  imported?: { expirationModel: string; validTo?: number; description?: string; pendingRotation: boolean }
}

/** Sent when the receiver must create its replica (ReplicateKey); its per-Region properties. */
export interface ReplicaToCreate {
  region: string
  description: string
  policy: string
  tags: Tag[]
  bypassPolicyLockoutSafetyCheck: boolean
}

/** TrentPeer_20261201.SyncKeySet input. */
export interface KeySetSync {
  /** The set's public key id (`mrk-…`). */
  keyId: string
  accountId: string
  primaryRegion: string
  keySpec: KeySpec
  keyUsage: KeyUsageType
  origin: OriginType
  /** Epoch ms the set's primary was created. */
  createdAt: number
  currentVersion: number
  /** Every version of the set, oldest first; material wrapped for the receiver. */
  versions: SyncedVersion[]
  /** The shared automatic-rotation setting; nextRotationAt (epoch ms) only when enabled. */
  rotation: { enabled: boolean; periodDays?: number; nextRotationAt?: number }
  /** Every Region holding a regional key of the set, as the sender knows them (the primary's Region included). */
  regions: string[]
  /**
   * The Region whose regional key is stored under the bare public id (the set's first Region); every other
   * Region's row is stored as `<public id>/<region>` (keys/regional-key.ts), so storage ids agree on every deployment.
   * Empty once that Region's key is gone: every row of the set is then stored as `<public id>/<region>`.
   */
  firstRegion: string
  /** Present only when the receiver must create the replica in `replica.region` if it has none yet. */
  replica?: ReplicaToCreate
}

/** What the receiver holds of the set after applying a message: its own regional keys and their states. */
export interface KeySetSyncReply {
  members: { region: string; keyState: KeyState }[]
}

/** TrentPeer_20261201.ForgetRegionalKey input: the regional key in `region` is gone (deleted there). */
export interface ForgetRegionalKey {
  keyId: string
  accountId: string
  region: string
}

/** TrentPeer_20261201.GetTransportKey output: the receiver's current transport public key. */
export interface TransportKeyReply {
  /** SPKI DER, base64. */
  publicKey: string
  /** SHA-256 (hex) of the DER. */
  transportKeyId: string
}

/** The peer service's operations (the part of X-Amz-Target after PEER_TARGET_PREFIX). */
export const PEER_OPERATIONS = ['GetTransportKey', 'SyncKeySet', 'ForgetRegionalKey'] as const
export type PeerOperation = typeof PEER_OPERATIONS[number]
