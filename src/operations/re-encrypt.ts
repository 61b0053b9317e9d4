// ReEncrypt: decrypt under the source key and encrypt under the destination, without exposing plaintext.
import { keyArn } from '../keys/key.js'
import { requireEnabled, requireSymmetricEncryptionKey } from '../keys/key-state.js'
import { KmsError } from '../wire/kms-error.js'
import type { ReEncryptRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'
import { requireCiphertext, endDryRun, keyForBlob, openWithKey, requireDecryptable, sealUnderKey } from './symmetric-crypto.js'

function requireSymmetricAlgorithm(algorithm: string | undefined, which: string): void {
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsageException', `The ${which} encryption algorithm ${algorithm} is not valid for a symmetric KMS key.`)
  }
}

async function run(ctx: OperationContext, input: ReEncryptRequest) {
  const blob = requireCiphertext(input.CiphertextBlob)
  const { key: source, keyVersion } = await keyForBlob(ctx, blob, input.SourceKeyId)
  const destinationAccess = { allowAlias: true, conditions: { encryptionContext: input.DestinationEncryptionContext } }
  const destination = await authorizedKey(ctx, input.DestinationKeyId, 'kms:ReEncryptTo', destinationAccess)
  const sameKey = source.keyId === destination.keyId
  await ctx.authorize(source, 'kms:ReEncryptFrom', { encryptionContext: input.SourceEncryptionContext, 'kms:ReEncryptOnSameKey': sameKey })
  requireSymmetricAlgorithm(input.SourceEncryptionAlgorithm, 'source')
  requireSymmetricAlgorithm(input.DestinationEncryptionAlgorithm, 'destination')
  requireDecryptable(source, 'ReEncrypt')
  requireEnabled(destination)
  requireSymmetricEncryptionKey(destination, 'ReEncrypt')
  endDryRun(input.DryRun)
  const opened = await openWithKey(ctx, source, keyVersion, blob, input.SourceEncryptionContext)
  const sealed = await sealUnderKey(ctx, destination, opened.plaintext, input.DestinationEncryptionContext)
  opened.plaintext.fill(0)
  return {
    CiphertextBlob: sealed.blob, SourceKeyId: keyArn(source), KeyId: keyArn(destination),
    SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' as const, DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' as const,
    SourceKeyMaterialId: opened.materialId, DestinationKeyMaterialId: sealed.materialId,
  }
}

export const reEncrypt = defineOperation({
  name: 'ReEncrypt',
  auditInput: ['SourceKeyId', 'DestinationKeyId', 'SourceEncryptionContext', 'DestinationEncryptionContext', 'SourceEncryptionAlgorithm', 'DestinationEncryptionAlgorithm', 'GrantTokens', 'DryRun'],
  auditOutput: ['SourceKeyId', 'KeyId', 'SourceEncryptionAlgorithm', 'DestinationEncryptionAlgorithm'],
  readOnly: true,
  keyScoped: true,
  run,
})
