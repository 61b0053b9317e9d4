// ReEncrypt: decrypt under the source key and encrypt under the destination, without exposing plaintext.
// Either side may be symmetric (versioned blob) or an ENCRYPT_DECRYPT key pair (bare RSA-OAEP output).
import { keyArn, type KeyRecord } from '../keys/key.js'
import { requireSymmetricEncryptionKey } from '../keys/key-state.js'
import { keyErrors } from '../wire/messages.js'
import type { EncryptionAlgorithmSpec, ReEncryptRequest } from '../wire/types.generated.js'
import { dryRunWithoutCiphertext, ignoresCiphertext, type NamedKeyCheck } from './dry-run-without-ciphertext.js'
import { decryptWithKeyPair, encryptToKeyPair, requireKeyPairEncryption } from './asymmetric-encryption.js'
import type { ResolvedKey } from '../keys/resolve.js'
import { authorizeNamed, resolveNamedKey } from './authorized-key.js'
import { namedKeyPair } from './key-pair-crypto.js'
import { isAsymmetricSpec } from './key-specs.js'
import { defineOperation, type OperationContext } from './operation.js'
import { requireCiphertext, endDryRun, keyForBlob, openWithKey, requireDecryptable, sealUnderKey } from './symmetric-crypto.js'

function requireSymmetricAlgorithm(algorithm: string | undefined, key: KeyRecord): void {
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw keyErrors.incompatibleAlgorithm(algorithm, key.keySpec)
  }
}

/** One side of the request, checked and ready: `run` does its crypto once DryRun has been answered. */
interface Side<In, Out> {
  key: KeyRecord
  algorithm: EncryptionAlgorithmSpec
  run(input: In): Promise<Out>
}

interface Opened { plaintext: Uint8Array; materialId?: string }
interface Sealed { blob: Uint8Array; materialId?: string }

/** The source key and the alias SourceKeyId named it by; `keyVersion` comes from a symmetric blob's header and is absent for a key pair. */
async function sourceKey(ctx: OperationContext, input: ReEncryptRequest, blob: Uint8Array): Promise<ResolvedKey & { keyVersion?: number }> {
  const pair = await namedKeyPair(ctx, input.SourceKeyId)
  return pair ?? keyForBlob(ctx, blob, input.SourceKeyId)
}

function checkSource(ctx: OperationContext, input: ReEncryptRequest, key: KeyRecord, keyVersion: number | undefined, blob: Uint8Array): Side<void, Opened> {
  if (keyVersion === undefined) {
    const use = requireKeyPairEncryption(key, input.SourceEncryptionAlgorithm, input.SourceEncryptionContext, 'ReEncrypt')
    return { key, algorithm: use.algorithm, run: async () => ({ plaintext: await decryptWithKeyPair(ctx, use, blob) }) }
  }
  requireSymmetricAlgorithm(input.SourceEncryptionAlgorithm, key)
  requireDecryptable(key, 'ReEncrypt')
  return { key, algorithm: 'SYMMETRIC_DEFAULT', run: () => openWithKey(ctx, key, keyVersion, blob, input.SourceEncryptionContext) }
}

function checkDestination(ctx: OperationContext, input: ReEncryptRequest, key: KeyRecord): Side<Uint8Array, Sealed> {
  if (isAsymmetricSpec(key.keySpec)) {
    const use = requireKeyPairEncryption(key, input.DestinationEncryptionAlgorithm, input.DestinationEncryptionContext, 'ReEncrypt')
    return { key, algorithm: use.algorithm, run: async (plaintext) => ({ blob: await encryptToKeyPair(ctx, use, plaintext) }) }
  }
  requireSymmetricAlgorithm(input.DestinationEncryptionAlgorithm, key)
  requireSymmetricEncryptionKey(key, 'ReEncrypt')
  return { key, algorithm: 'SYMMETRIC_DEFAULT', run: (plaintext) => sealUnderKey(ctx, key, plaintext, input.DestinationEncryptionContext) }
}

const sourceConditions = (input: ReEncryptRequest) => ({ encryptionContext: input.SourceEncryptionContext, 'kms:EncryptionAlgorithm': input.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' })
const destinationConditions = (input: ReEncryptRequest) => ({ encryptionContext: input.DestinationEncryptionContext, 'kms:EncryptionAlgorithm': input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' })

function dryRunChecks(input: ReEncryptRequest): NamedKeyCheck[] {
  return [
    { keyIdParam: input.SourceKeyId, member: 'SourceKeyId', action: 'kms:ReEncryptFrom', conditions: sourceConditions(input), sameKeyCondition: true },
    { keyIdParam: input.DestinationKeyId, member: 'DestinationKeyId', action: 'kms:ReEncryptTo', conditions: destinationConditions(input), sameKeyCondition: true },
  ]
}

async function run(ctx: OperationContext, input: ReEncryptRequest) {
  if (ignoresCiphertext(input.DryRun, input.DryRunModifiers)) return dryRunWithoutCiphertext(ctx, 'ReEncrypt', dryRunChecks(input))
  const blob = requireCiphertext(input.CiphertextBlob)
  const named = await sourceKey(ctx, input, blob)
  const { key: sourceRecord, keyVersion } = named
  const destinationNamed = await resolveNamedKey(ctx, input.DestinationKeyId, true)
  // kms:ReEncryptOnSameKey belongs to the ReEncrypt request, so both of its decisions carry it: AWS's
  // example allows kms:ReEncrypt* only under it, which must cover ReEncryptTo as well as ReEncryptFrom.
  const sameKey = sourceRecord.keyId === destinationNamed.key.keyId
  const destinationRecord = await authorizeNamed(ctx, destinationNamed, 'kms:ReEncryptTo', { ...destinationConditions(input), 'kms:ReEncryptOnSameKey': sameKey })
  await authorizeNamed(ctx, named, 'kms:ReEncryptFrom', { ...sourceConditions(input), 'kms:ReEncryptOnSameKey': sameKey })
  const source = checkSource(ctx, input, sourceRecord, keyVersion, blob)
  const destination = checkDestination(ctx, input, destinationRecord)
  endDryRun(input.DryRun)
  const opened = await source.run()
  const sealed = await destination.run(opened.plaintext)
  opened.plaintext.fill(0)
  return {
    CiphertextBlob: sealed.blob, SourceKeyId: keyArn(source.key), KeyId: keyArn(destination.key),
    SourceEncryptionAlgorithm: source.algorithm, DestinationEncryptionAlgorithm: destination.algorithm,
    SourceKeyMaterialId: opened.materialId, DestinationKeyMaterialId: sealed.materialId,
  }
}

export const reEncrypt = defineOperation({
  name: 'ReEncrypt',
  auditInput: ['SourceKeyId', 'DestinationKeyId', 'SourceEncryptionContext', 'DestinationEncryptionContext', 'SourceEncryptionAlgorithm', 'DestinationEncryptionAlgorithm', 'GrantTokens', 'DryRun', 'DryRunModifiers'],
  auditOutput: ['SourceKeyId', 'KeyId', 'SourceEncryptionAlgorithm', 'DestinationEncryptionAlgorithm'],
  readOnly: true,
  keyScoped: true,
  run,
})
