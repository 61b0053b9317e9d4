// What Sign and Verify share: authorization, key state and usage, the algorithm against the key spec, and the
// MessageType rules (DIGEST length, Ed25519 pairings, EXTERNAL_MU for ML-DSA only), giving the crypto
// layer a scheme and an input form that hashes exactly as AWS does.
import type { SignatureScheme, SignedInput } from '../crypto/asymmetric/schemes.js'
import { requireUsage } from '../keys/key-state.js'
import type { KeyRecord } from '../keys/key.js'
import type { KmsError } from '../wire/kms-error.js'
import { requestErrors } from '../wire/messages.js'
import type { MessageType, SignRequest, SigningAlgorithmSpec } from '../wire/types.generated.js'
import { signingAlgorithm } from './algorithms.js'
import { authorizedKey } from './authorized-key.js'
import { incompatibleAlgorithm } from './key-pair-crypto.js'
import { keySpecProfile } from './key-specs.js'
import type { OperationContext } from './operation.js'
import { endDryRun } from './symmetric-crypto.js'

export interface SigningRequest {
  scheme: SignatureScheme
  input: SignedInput
}

function incompatibleMessageType(messageType: MessageType, what: string): KmsError {
  return requestErrors.messageTypeIncompatible(messageType, what)
}

/** RAW is the message; DIGEST is a digest never hashed again; EXTERNAL_MU is FIPS 204 μ. */
function inputForm(algorithm: SigningAlgorithmSpec, messageType: MessageType, key: KeyRecord): SignedInput['form'] {
  const isMlDsa = algorithm === 'ML_DSA_SHAKE_256'
  if (messageType === 'EXTERNAL_MU') {
    if (!isMlDsa) throw incompatibleMessageType(messageType, `key spec ${key.keySpec}`)
    return 'mu'
  }
  if (messageType === 'DIGEST' && isMlDsa) throw incompatibleMessageType(messageType, `key spec ${key.keySpec}`)
  if (algorithm === 'ED25519_SHA_512' && messageType !== 'RAW') throw incompatibleMessageType(messageType, `signing algorithm ${algorithm}`)
  if (algorithm === 'ED25519_PH_SHA_512') {
    if (messageType !== 'DIGEST') throw incompatibleMessageType(messageType, `signing algorithm ${algorithm}`)
    // AWS still applies Ed25519ph's own SHA-512 to the 64-byte digest (FIPS 186-5 §7.8.1 step 1): the
    // digest is the message M of HashEdDSA, so it is hashed a second time.
    return 'message'
  }
  return messageType === 'DIGEST' ? 'digest' : 'message'
}

function checkLength(algorithm: SigningAlgorithmSpec, messageType: MessageType, message: Uint8Array, digestBytes: number | undefined): void {
  if (messageType === 'DIGEST' && message.length !== digestBytes) {
    throw requestErrors.digestLength(algorithm)
  }
  if (messageType === 'EXTERNAL_MU' && message.length !== 64) {
    throw requestErrors.externalMuLength(algorithm)
  }
}

/**
 * Validates a Sign or Verify request against the key. Throws DisabledException/KMSInvalidStateException,
 * InvalidKeyUsageException (usage, or an algorithm outside the key spec) and ValidationException
 * (MessageType not allowed for the algorithm, wrong digest or μ length).
 */
function signingRequest(
  key: KeyRecord, operation: 'Sign' | 'Verify', algorithm: SigningAlgorithmSpec, messageType: MessageType, message: Uint8Array,
): SigningRequest {
  requireUsage(key, 'SIGN_VERIFY', operation)
  const known = signingAlgorithm(algorithm)
  if (!known || !keySpecProfile(key.keySpec).signingAlgorithms.includes(algorithm)) throw incompatibleAlgorithm(algorithm, key)
  const form = inputForm(algorithm, messageType, key)
  checkLength(algorithm, messageType, message, known.digestBytes)
  return { scheme: known.scheme, input: { form, bytes: message } }
}

/**
 * Sign's and Verify's common first steps: resolve and authorize the key (the policy sees the algorithm
 * and the MessageType, RAW when omitted), validate the request against it, then honour DryRun.
 */
export async function authorizedSigningRequest(
  ctx: OperationContext, input: Pick<SignRequest, 'KeyId' | 'Message' | 'MessageType' | 'SigningAlgorithm' | 'DryRun'>, operation: 'Sign' | 'Verify',
): Promise<SigningRequest & { key: KeyRecord }> {
  const messageType = input.MessageType ?? 'RAW'
  const key = await authorizedKey(ctx, input.KeyId, `kms:${operation}`, {
    allowAlias: true, conditions: { 'kms:SigningAlgorithm': input.SigningAlgorithm, 'kms:MessageType': messageType },
  })
  const request = signingRequest(key, operation, input.SigningAlgorithm, messageType, input.Message)
  endDryRun(input.DryRun)
  return { key, ...request }
}
