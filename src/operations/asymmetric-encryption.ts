// RSA-OAEP encryption for Encrypt, Decrypt and ReEncrypt with ENCRYPT_DECRYPT key pairs. The ciphertext
// is the bare RSA output, so it carries no key id: callers of Decrypt must name the key and algorithm.
import type { OaepHash } from '../crypto/asymmetric/rsa-oaep.js'
import { oaepMaxPlaintext, type RsaKind } from '../crypto/asymmetric/schemes.js'
import { requireUsage } from '../keys/key-state.js'
import type { KeyRecord } from '../keys/key.js'
import { keyErrors, requestErrors } from '../wire/messages.js'
import type { EncryptionAlgorithmSpec } from '../wire/types.generated.js'
import { oaepHashOf } from './algorithms.js'
import { incompatibleAlgorithm, keyPairCall, rejectEncryptionContext, withPrivateKey } from './key-pair-crypto.js'
import { keySpecProfile } from './key-specs.js'
import type { OperationContext } from './operation.js'

export interface KeyPairEncryption {
  key: KeyRecord
  algorithm: EncryptionAlgorithmSpec
  hash: OaepHash
}

/**
 * Checks what asymmetric encryption or decryption needs of the key and request: Enabled, ENCRYPT_DECRYPT,
 * an OAEP algorithm of the key's spec (SYMMETRIC_DEFAULT, the default, is not), no encryption context.
 */
export function requireKeyPairEncryption(
  key: KeyRecord, algorithm: EncryptionAlgorithmSpec | undefined, context: Record<string, string> | undefined, operation: string,
): KeyPairEncryption {
  requireUsage(key, 'ENCRYPT_DECRYPT', operation)
  const requested = algorithm ?? 'SYMMETRIC_DEFAULT'
  const hash = oaepHashOf(requested)
  if (!hash || !keySpecProfile(key.keySpec).encryptionAlgorithms.includes(requested)) throw incompatibleAlgorithm(requested, key)
  rejectEncryptionContext(context, key)
  return { key, algorithm: requested, hash }
}

/** Encrypts to the key's public half. Throws ValidationException past the OAEP plaintext limit. */
export async function encryptToKeyPair(ctx: OperationContext, use: KeyPairEncryption, plaintext: Uint8Array): Promise<Uint8Array> {
  const material = keySpecProfile(use.key.keySpec).material
  const limit = material.type === 'key-pair' ? oaepMaxPlaintext(material.kind as RsaKind, use.hash) : 0
  if (plaintext.length > limit) {
    throw requestErrors.rsaPlaintextTooLong(use.algorithm, use.key.keySpec, limit)
  }
  return keyPairCall(withPrivateKey(ctx, use.key, (ref) => ctx.asymmetric.encrypt(ref, use.hash, plaintext)))
}

/**
 * Decrypts bare RSA-OAEP output. A ciphertext that does not decrypt (another key, another hash, altered
 * bytes) is IncorrectKeyException: RSA cannot tell those cases apart, and AWS reports the key.
 */
export async function decryptWithKeyPair(ctx: OperationContext, use: KeyPairEncryption, ciphertext: Uint8Array): Promise<Uint8Array> {
  return keyPairCall(withPrivateKey(ctx, use.key, (ref) => ctx.asymmetric.decrypt(ref, use.hash, ciphertext)), {
    'decryption-failed': () => keyErrors.incorrectKey(),
  })
}
