// One rotation of a key's material: a new version made current, in one atomic compare-and-set store write
// (the schedule moves in the same write), used by RotateKeyOnDemand and the rotation job alike.
import { generateSymmetricMaterial } from '../crypto/data-key.js'
import type { RotationWrite } from '../store/rotation-store.js'
import type { Store } from '../store/store.js'
import { rotationErrors } from '../wire/messages.js'
import { keyArn, type KeyRecord, type KeyVersion, type RotationType } from './key.js'
import type { Keyring } from './keyring.js'
import { announcedForKey } from '../peers/notify-peers.js'

export interface RotationDeps {
  store: Store
  keyring: Keyring
  /** Secret random bytes (the new material). */
  random: (n: number) => Uint8Array
  /** Regions served by peer deployments: a rotation of a set with regional keys there is queued to them. */
  peerRegions: ReadonlySet<string>
}

export interface RotationPlan {
  type: RotationType
  now: Date
  /** AUTOMATIC: the schedule as the caller saw it and where it moves (see RotationWrite). */
  schedule?: RotationWrite['schedule']
  /** ON_DEMAND: the per-key limit, enforced inside the write. */
  maxOnDemand?: number
  /** ON_DEMAND: the start recorded by startOnDemandRotation, which the write checks and clears. */
  onDemandStartedAt?: Date
  /** Runs with the candidate version before anything is stored (the job audits here: no record, no rotation). */
  beforeCommit?: (version: KeyVersion) => Promise<void>
}

/**
 * Throws unless this module can make new material for `key`: only for AWS_KMS keys. EXTERNAL keys rotate by
 * promoting imported material instead (keys/pending-material.ts, from RotateKeyOnDemand); a key of any other
 * origin gets KMSInvalidStateException `No available key material pending rotation for the key: <arn>.`
 */
export function requireRotationMaterial(key: KeyRecord): void {
  if (key.origin !== 'AWS_KMS') throw rotationErrors.noMaterialPendingRotation(keyArn(key))
}

/**
 * THE source of a rotation's new material, numbered `key.currentVersion + 1` and wrapped (never cached: the
 * write may lose a race). AWS_KMS keys get fresh random material; EXTERNAL keys never come here (see
 * requireRotationMaterial). Throws KMSInvalidStateException `No available key material pending rotation for the key: <arn>.`
 */
export async function nextRotationMaterial(deps: RotationDeps, key: KeyRecord, rotation: NonNullable<KeyVersion['rotation']>): Promise<KeyVersion> {
  requireRotationMaterial(key)
  const material = generateSymmetricMaterial(deps.random)
  const version = await deps.keyring.wrapVersion(key, key.currentVersion + 1, material, rotation.rotatedAt, { cache: false })
  return { ...version, rotation }
}

/**
 * Rotates `key` once. Resolves to the new version, or undefined (nothing changed) when the key is no longer
 * as read: rotated by someone else, disabled, its schedule changed. Throws what nextRotationMaterial and
 * `beforeCommit` throw, and StoreLimitError past `maxOnDemand`.
 */
export async function rotateKeyMaterial(deps: RotationDeps, key: KeyRecord, plan: RotationPlan): Promise<KeyVersion | undefined> {
  const version = await nextRotationMaterial(deps, key, { type: plan.type, rotatedAt: plan.now })
  await plan.beforeCommit?.(version)
  const write: RotationWrite = { version, expectedCurrentVersion: key.currentVersion }
  if (plan.schedule) write.schedule = plan.schedule
  if (plan.maxOnDemand !== undefined) write.maxOnDemand = plan.maxOnDemand
  if (plan.onDemandStartedAt) write.onDemandStartedAt = plan.onDemandStartedAt
  // The peers holding regional keys of the set are told before and after the new version is stored (announced).
  return (await announcedForKey(deps, plan.now, key, () => deps.store.rotateKey(write))) ? version : undefined
}
