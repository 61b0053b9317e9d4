// Imported material waiting for RotateKeyOnDemand: the one query that finds it and the one step that makes it
// current. ImportKeyMaterial with NEW_KEY_MATERIAL puts material in PENDING_ROTATION (keys/key.ts
// ImportedMaterial.pendingRotation); RotateKeyOnDemand on an EXTERNAL key promotes it instead of generating.
import { rotationErrors } from '../wire/messages.js'
import type { Store } from '../store/store.js'
import { keyArn, type KeyRecord, type KeyVersion } from './key.js'

/** The key's material pending rotation, imported or not (its bytes may have been deleted since). */
export function materialPendingRotation(store: Store, keyId: string): Promise<KeyVersion | undefined> {
  return store.getPendingRotationVersion(keyId)
}

/**
 * Makes the key's imported material pending rotation its current material, atomically; returns that version.
 * Old versions stay for decryption. Throws KMSInvalidStateException `No available key material pending
 * rotation for the key: <arn>.` when there is none, or when its bytes were deleted and await re-import.
 */
export async function promotePendingMaterial(store: Store, key: KeyRecord, now: Date): Promise<KeyVersion> {
  const pending = await store.getPendingRotationVersion(key.keyId)
  if (!pending || pending.imported?.importState !== 'IMPORTED' || !(await store.promotePendingVersion(key.keyId, pending.version, now))) {
    throw rotationErrors.noMaterialPendingRotation(keyArn(key))
  }
  return { ...pending, imported: { ...pending.imported, pendingRotation: false }, rotation: { type: 'ON_DEMAND', rotatedAt: now } }
}
