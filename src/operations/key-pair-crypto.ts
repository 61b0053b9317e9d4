// What operations share when they use a key pair: the private key of the current version, the
// algorithm check, and turning crypto-layer failures into the AWS exceptions the caller is owed.
import { AsymmetricCryptoError, type AsymmetricFailureReason } from '../crypto/asymmetric/errors.js'
import type { PrivateKeyRef } from '../crypto/asymmetric/engine.js'
import { WorkerPoolBusyError } from '../crypto/worker-pool.js'
import { keyArn, type KeyRecord } from '../keys/key.js'
import { resolveKey, type ResolvedKey } from '../keys/resolve.js'
import type { KmsError } from '../wire/kms-error.js'
import { keyErrors, protocolErrors, requestErrors } from '../wire/messages.js'
import { isAsymmetricSpec } from './key-specs.js'
import type { OperationContext } from './operation.js'

/**
 * Lends the private key of the key's current version (key pairs never rotate, so it is version 1) to `use`,
 * named by key id, version and material id: the crypto workers copy the material only when they lack that name.
 */
export function withPrivateKey<T>(ctx: OperationContext, key: KeyRecord, use: (ref: PrivateKeyRef) => Promise<T>): Promise<T> {
  return ctx.keyring.withMaterial(key, key.currentVersion, ({ material, materialId }) =>
    use({ owner: key.keyId, name: `${key.keyId}/${key.currentVersion}/${materialId}`, material }))
}

/** AWS's wording when an algorithm does not belong to an asymmetric key's spec (InvalidKeyUsageException). */
export function incompatibleAlgorithm(algorithm: string, key: KeyRecord): KmsError {
  return keyErrors.incompatibleAlgorithm(algorithm, key.keySpec)
}

/** Asymmetric and HMAC keys take no encryption context (facts §6). */
export function rejectEncryptionContext(context: Record<string, string> | undefined, key: KeyRecord): void {
  if (context !== undefined && Object.keys(context).length > 0) {
    throw requestErrors.contextWithKeyPair(keyArn(key))
  }
}

/**
 * Awaits a crypto-engine call. A full worker queue is ThrottlingException (clients retry it); failures
 * listed in `translate` become those exceptions; anything else propagates as an internal error.
 */
export async function keyPairCall<T>(call: Promise<T>, translate: Partial<Record<AsymmetricFailureReason, () => KmsError>> = {}): Promise<T> {
  try {
    return await call
  } catch (e) {
    if (e instanceof WorkerPoolBusyError) {
      throw protocolErrors.throttled()
    }
    const translation = e instanceof AsymmetricCryptoError ? translate[e.reason] : undefined
    throw translation ? translation() : e
  }
}

/**
 * The key a KeyId parameter names (and the alias that named it) when it is a key pair, without authorizing (Decrypt and ReEncrypt use
 * it to choose their path before the usual checks); undefined for symmetric and HMAC keys.
 */
export async function namedKeyPair(ctx: OperationContext, keyIdParam: string | undefined): Promise<ResolvedKey | undefined> {
  if (keyIdParam === undefined) return undefined
  const named = await resolveKey({ store: ctx.store, accountId: ctx.principal.accountId, region: ctx.region }, keyIdParam, true)
  return isAsymmetricSpec(named.key.keySpec) ? named : undefined
}
