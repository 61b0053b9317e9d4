// Imported material waiting for RotateKeyOnDemand: the one query that finds it and the one step that makes it
// current. ImportKeyMaterial with NEW_KEY_MATERIAL puts material in PENDING_ROTATION (keys/key.ts
// ImportedMaterial.pendingRotation); RotateKeyOnDemand on an EXTERNAL key promotes it instead of generating.
import { rotationErrors } from '../wire/messages.js'
import type { Store } from '../store/store.js'
import { keyArn, type KeyRecord, type KeyVersion } from './key.js'
import { requireKeyState } from './key-state.js'
import { keyNotFound } from './resolve.js'

/** The key's material pending rotation, imported or not (its bytes may have been deleted since). */
export function materialPendingRotation(store: Store, keyId: string): Promise<KeyVersion | undefined> {
  return store.getPendingRotationVersion(keyId)
}

/**
 * Makes the key's imported material pending rotation its current material, atomically, as one of the key's
 * `maxOnDemand` on-demand rotations; returns that version. Old versions stay for decryption. Throws
 * KMSInvalidStateException `No available key material pending rotation for the key: <arn>.` when there is none,
 * or when its bytes were deleted and await re-import; RotateKeyOnDemand's state exception when the key left
 * Enabled meanwhile; StoreLimitError when the key has no on-demand rotation left.
 */
export async function promotePendingMaterial(store: Store, key: KeyRecord, now: Date, maxOnDemand: number): Promise<KeyVersion> {
  const pending = await store.getPendingRotationVersion(key.keyId)
  if (!pending || pending.imported?.importState !== 'IMPORTED') throw rotationErrors.noMaterialPendingRotation(keyArn(key))
  if (!(await store.promotePendingVersion(key.keyId, pending.version, now, maxOnDemand))) {
    // Refused in the transaction: either the key is no longer Enabled (answer with its state, as a later request
    // would meet it) or the material was promoted or deleted meanwhile.
    const fresh = await store.getKey(key.keyId)
    if (!fresh) throw keyNotFound(key)
    requireKeyState('RotateKeyOnDemand', fresh)
    throw rotationErrors.noMaterialPendingRotation(keyArn(key))
  }
  return { ...pending, imported: { ...pending.imported, pendingRotation: false }, rotation: { type: 'ON_DEMAND', rotatedAt: now } }
}
