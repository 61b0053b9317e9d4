// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a fresh key pair for use outside Trent,
// its PKCS#8 private key sealed under a symmetric KMS key. Key-usage rules of KMS keys do not apply.
import { keyArn } from '../keys/key.js'
import { requireSymmetricEncryptionKey } from '../keys/key-state.js'
import { createKeyErrors, requestErrors } from '../wire/messages.js'
import type { DataKeyPairSpec, GenerateDataKeyPairRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { keyPairCall } from './key-pair-crypto.js'
import { keySpecProfile } from './key-specs.js'
import { defineOperation, type OperationContext } from './operation.js'
import { endDryRun, sealUnderKey } from './symmetric-crypto.js'

function keyPairKindOf(spec: DataKeyPairSpec) {
  if (spec === 'SM2') throw createKeyErrors.specNotInRegion('KeyPairSpec', spec)
  const material = keySpecProfile(spec).material
  if (material.type !== 'key-pair') throw new Error(`data key pair spec ${spec} has no key-pair profile`)
  return material.kind
}

/** Shared by both operations; `action` is the operation's own permission. */
export async function generateDataKeyPair(
  ctx: OperationContext, input: GenerateDataKeyPairRequest, action: 'kms:GenerateDataKeyPair' | 'kms:GenerateDataKeyPairWithoutPlaintext',
) {
  if (input.Recipient) throw requestErrors.recipientNotServed()
  const kind = keyPairKindOf(input.KeyPairSpec)
  const key = await authorizedKey(ctx, input.KeyId, action, {
    allowAlias: true, conditions: { encryptionContext: input.EncryptionContext, 'kms:DataKeyPairSpec': input.KeyPairSpec, 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' },
  })
  requireSymmetricEncryptionKey(key, action.slice(4))
  endDryRun(input.DryRun)
  const pair = await keyPairCall(ctx.asymmetric.generateKeyPair(kind))
  const sealed = await sealUnderKey(ctx, key, pair.privateKey, input.EncryptionContext)
  return {
    PrivateKeyCiphertextBlob: sealed.blob, PrivateKeyPlaintext: pair.privateKey, PublicKey: pair.publicKey,
    KeyId: keyArn(key), KeyPairSpec: input.KeyPairSpec, KeyMaterialId: sealed.materialId,
  }
}

export const generateDataKeyPairOp = defineOperation({
  name: 'GenerateDataKeyPair',
  auditInput: ['KeyId', 'KeyPairSpec', 'EncryptionContext', 'GrantTokens', 'DryRun'],
  auditOutput: ['KeyId', 'KeyPairSpec', 'KeyMaterialId'],
  readOnly: true,
  keyScoped: true,
  run: (ctx, input) => generateDataKeyPair(ctx, input, 'kms:GenerateDataKeyPair'),
})
