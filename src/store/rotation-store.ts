// The rotation half of the storage contract: a key's automatic-rotation schedule, its rotations (a new
// material version made current), and the listings the rotation job and ListKeyRotations read.
import type { KeyRecord, KeyVersion, RotationSchedule } from '../keys/key.js'
import type { Page } from './store.js'

/** One rotation, written atomically: the new version, the key's current version and (automatic) its schedule. */
export interface RotationWrite {
  /** The new material, numbered `expectedCurrentVersion + 1`, with its `rotation` (type and date) set. */
  version: KeyVersion
  /** Compare-and-set: the write applies only while the key is Enabled and its current version is still this. */
  expectedCurrentVersion: number
  /**
   * AUTOMATIC rotations: the write applies only while the key's next rotation date is still `expected` (the
   * one the job saw), and moves it to `next`. Absent for on-demand rotations, which leave the schedule alone.
   */
  schedule?: { expected: Date; next: Date }
  /** ON_DEMAND rotations: refuse (StoreLimitError) when the key already has this many on-demand rotations. */
  maxOnDemand?: number
  /**
   * Completing a started on-demand rotation: the write applies only while the key's on-demand start is still
   * this one, and clears it. Absent otherwise (then the write requires that no on-demand rotation is pending).
   */
  onDemandStartedAt?: Date
}

/** What startOnDemandRotation found. */
export type OnDemandStart = 'started' | 'already-in-progress' | 'not-enabled'

export interface RotationStore {
  /** Sets (or, with null, clears) the key's automatic-rotation schedule. No-op for an unknown key. */
  setKeyRotation(keyId: string, schedule: RotationSchedule | null): Promise<void>
  /**
   * Performs one rotation atomically (see RotationWrite). Returns false, changing nothing, when the key is no
   * longer as the caller saw it (another process rotated it first, it was disabled, its schedule changed).
   * Throws StoreLimitError for an on-demand rotation over `maxOnDemand`.
   */
  rotateKey(write: RotationWrite): Promise<boolean>
  /**
   * Records, atomically with its checks, that an on-demand rotation of an Enabled key began at `startedAt`
   * (RotateKeyOnDemand then completes it with rotateKey, or the rotation job does after a crash). Throws
   * StoreLimitError when the key already has `maxOnDemand` on-demand rotations; one in progress counts.
   */
  startOnDemandRotation(keyId: string, startedAt: Date, maxOnDemand: number): Promise<OnDemandStart>
  /**
   * Enabled keys with an on-demand rotation in progress or an automatic one due at or before `now`, on-demand
   * ones first, then earliest due first, at most `limit`.
   */
  listKeysDueForRotation(now: Date, limit: number): Promise<KeyRecord[]>
  /** A key's material versions in version order, starting after version `after`. */
  listKeyVersions(keyId: string, after: number | undefined, limit: number): Promise<Page<KeyVersion>>
}
