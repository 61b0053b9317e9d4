// Encrypt: up to 4096 bytes under a symmetric key, bound to an optional encryption context, or RSA-OAEP
// to an ENCRYPT_DECRYPT key pair (asymmetric-encryption.ts).
import { keyArn } from '../keys/key.js'
import { requireSymmetricEncryptionKey } from '../keys/key-state.js'
import { keyErrors } from '../wire/messages.js'
import type { EncryptRequest } from '../wire/types.generated.js'
import { encryptToKeyPair, requireKeyPairEncryption } from './asymmetric-encryption.js'
import { authorizedKey } from './authorized-key.js'
import { isAsymmetricSpec } from './key-specs.js'
import { defineOperation, type OperationContext } from './operation.js'
import { endDryRun, sealUnderKey } from './symmetric-crypto.js'

async function run(ctx: OperationContext, input: EncryptRequest) {
  const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT'
  const key = await authorizedKey(ctx, input.KeyId, 'kms:Encrypt', {
    allowAlias: true, conditions: { encryptionContext: input.EncryptionContext, 'kms:EncryptionAlgorithm': algorithm },
  })
  if (isAsymmetricSpec(key.keySpec)) {
    const use = requireKeyPairEncryption(key, input.EncryptionAlgorithm, input.EncryptionContext, 'Encrypt')
    endDryRun(input.DryRun)
    return { CiphertextBlob: await encryptToKeyPair(ctx, use, input.Plaintext), KeyId: keyArn(key), EncryptionAlgorithm: use.algorithm }
  }
  requireSymmetricEncryptionKey(key, 'Encrypt')
  if (algorithm !== 'SYMMETRIC_DEFAULT') {
    throw keyErrors.incompatibleAlgorithm(algorithm, key.keySpec)
  }
  endDryRun(input.DryRun)
  const sealed = await sealUnderKey(ctx, key, input.Plaintext, input.EncryptionContext)
  return { CiphertextBlob: sealed.blob, KeyId: keyArn(key), EncryptionAlgorithm: algorithm }
}

export const encrypt = defineOperation({
  name: 'Encrypt',
  auditInput: ['KeyId', 'EncryptionContext', 'EncryptionAlgorithm', 'GrantTokens', 'DryRun'],
  auditOutput: ['KeyId', 'EncryptionAlgorithm'],
  readOnly: true,
  keyScoped: true,
  run,
})
