// Which key states allow which operations, with the exact exceptions AWS sends (facts §5).
import type { KmsError } from '../wire/kms-error.js'
import { keyErrors } from '../wire/messages.js'
import { keyArn, type KeyRecord, type KeyUsageType } from './key.js'

const stateWording: Record<string, string> = {
  PendingDeletion: 'is pending deletion.',
  PendingReplicaDeletion: 'is pending replica deletion.',
  PendingImport: 'is pending import.',
  Unavailable: 'is unavailable.',
  Creating: 'is creating.',
  Updating: 'is updating.',
}

function invalidState(key: KeyRecord): KmsError {
  return keyErrors.invalidState(keyArn(key), stateWording[key.keyState] ?? 'is not in a valid state.')
}

/** Cryptographic operations need an Enabled key (Updating also works, as in AWS). */
export function requireEnabled(key: KeyRecord): void {
  if (key.keyState === 'Enabled' || key.keyState === 'Updating') return
  if (key.keyState === 'Disabled') throw keyErrors.disabled(keyArn(key))
  throw invalidState(key)
}

/** Management operations that work in every state except a pending deletion (tags, aliases, description). */
export function requireNotPendingDeletion(key: KeyRecord): void {
  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') throw invalidState(key)
}

/** Reads that need the key's material to exist (GetKeyRotationStatus): not while pending import or unavailable. */
export function requireNotPendingImport(key: KeyRecord): void {
  if (key.keyState === 'PendingImport' || key.keyState === 'Unavailable') throw invalidState(key)
}

/** EnableKey and DisableKey: not while pending deletion or import, creating or updating. */
export function requireTogglable(key: KeyRecord): void {
  if (key.keyState === 'Enabled' || key.keyState === 'Disabled' || key.keyState === 'Unavailable') return
  throw invalidState(key)
}

/** Throws InvalidKeyUsageException unless the key has the usage the operation needs. */
export function requireUsage(key: KeyRecord, usage: KeyUsageType, operation: string): void {
  if (key.keyUsage !== usage) {
    throw keyErrors.wrongUsage(keyArn(key), key.keyUsage, operation)
  }
}

/** Symmetric-only operations (GenerateDataKey, symmetric Encrypt) reject asymmetric and HMAC keys. */
export function requireSymmetricEncryptionKey(key: KeyRecord, operation: string): void {
  requireUsage(key, 'ENCRYPT_DECRYPT', operation)
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw keyErrors.wrongSpec(keyArn(key), key.keySpec, operation)
  }
}
