// Sealing and opening symmetric ciphertext blobs for Encrypt, Decrypt, ReEncrypt and the data-key
// operations: key lookup from the blob header, the IncorrectKey check, and error translation.
import { EncryptionContextError } from '../crypto/encryption-context.js'
import { CiphertextError, openBlob, readBlobHeader, sealBlob } from '../crypto/symmetric-blob.js'
import { MaterialUnavailableError } from '../keys/keyring.js'
import type { KeyRecord } from '../keys/key.js'
import { requireSymmetricEncryptionKey } from '../keys/key-state.js'
import { resolveKey, type ResolvedKey } from '../keys/resolve.js'
import type { KmsError } from '../wire/kms-error.js'
import { keyErrors, requestErrors } from '../wire/messages.js'
import type { OperationContext } from './operation.js'

export interface Sealed {
  blob: Uint8Array
  materialId: string
}

export interface Opened {
  key: KeyRecord
  plaintext: Uint8Array
  materialId: string
}

function invalidCiphertext(): KmsError {
  return keyErrors.invalidCiphertext()
}

/** Encrypts under the key's current material. The caller has already authorized and checked the key. */
export async function sealUnderKey(ctx: OperationContext, key: KeyRecord, plaintext: Uint8Array, encryptionContext?: Record<string, string>): Promise<Sealed> {
  try {
    return await ctx.keyring.withMaterial(key, key.currentVersion, ({ material, materialId }) => ({
      blob: sealBlob({ material, keyId: key.keyId, keyVersion: key.currentVersion, plaintext, encryptionContext, random: ctx.publicRandom }),
      materialId,
    }))
  } catch (e) {
    // A context that JSON allows but that has no canonical UTF-8 form (a lone surrogate) is bad input, not a fault.
    if (e instanceof EncryptionContextError) throw requestErrors.contextNotUnicode()
    throw e
  }
}

/** The key that produced a blob; `requestAlias` is the alias the caller named it by, if any (kms:RequestAlias). */
export interface BlobKey extends ResolvedKey {
  keyVersion: number
}

/** Resolves the key that produced `blob`, enforcing IncorrectKeyException when the caller named another key. */
export async function keyForBlob(ctx: OperationContext, blob: Uint8Array, namedKeyId: string | undefined): Promise<BlobKey> {
  let header
  try {
    header = readBlobHeader(blob)
  } catch (e) {
    if (e instanceof CiphertextError) throw invalidCiphertext()
    throw e
  }
  const scope = { store: ctx.store, accountId: ctx.principal.accountId, region: ctx.region }
  const named = namedKeyId === undefined ? undefined : await resolveKey(scope, namedKeyId, true)
  const key = await ctx.store.getKey(header.keyId)
  if (named && named.key.keyId !== header.keyId) {
    throw keyErrors.incorrectKey()
  }
  if (!key || key.region !== ctx.region) throw invalidCiphertext()
  return { key, keyVersion: header.keyVersion, ...(named?.requestAlias ? { requestAlias: named.requestAlias } : {}) }
}

/** Checks what a symmetric decryption needs of the key: ENCRYPT_DECRYPT, SYMMETRIC_DEFAULT (the pipeline checked its state). */
export function requireDecryptable(key: KeyRecord, operation: string): void {
  requireSymmetricEncryptionKey(key, operation)
}

/** Decrypts a blob with its key; the caller has authorized and called requireDecryptable. */
export async function openWithKey(ctx: OperationContext, key: KeyRecord, keyVersion: number, blob: Uint8Array, encryptionContext: Record<string, string> | undefined): Promise<Opened> {
  try {
    return await ctx.keyring.withMaterial(key, keyVersion, ({ material, materialId }) => ({
      key, plaintext: openBlob({ material, blob, encryptionContext }), materialId,
    }))
  } catch (e) {
    // A version the blob names but the key never had is the caller's problem. Stored material that will not
    // unwrap (KeyWrapError) is a server fault: it propagates and the pipeline answers KMSInternalException.
    if (e instanceof CiphertextError || e instanceof MaterialUnavailableError) throw invalidCiphertext()
    throw e
  }
}

/** Throws DryRunOperationException, which is how AWS reports that a DryRun request would have succeeded. */
export function endDryRun(dryRun: boolean | undefined): void {
  if (dryRun) throw dryRunSucceeded()
}

export function dryRunSucceeded(): KmsError {
  return keyErrors.dryRun()
}

/**
 * The model makes CiphertextBlob optional (a DryRun with IGNORE_CIPHERTEXT may omit it), but every
 * other request needs it; report its absence as AWS reports a missing member.
 */
export function requireCiphertext(blob: Uint8Array | undefined): Uint8Array {
  if (blob === undefined) {
    throw requestErrors.ciphertextRequired()
  }
  return blob
}
