// GenerateDataKey and GenerateDataKeyWithoutPlaintext: a random data key and its copy sealed under a KMS key.
import { keyArn } from '../keys/key.js'
import { requireSymmetricEncryptionKey } from '../keys/key-state.js'
import { requestErrors } from '../wire/messages.js'
import type { GenerateDataKeyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'
import { endDryRun, sealUnderKey } from './symmetric-crypto.js'

function dataKeyLength(input: Pick<GenerateDataKeyRequest, 'KeySpec' | 'NumberOfBytes'>): number {
  if (input.KeySpec !== undefined && input.NumberOfBytes !== undefined) {
    throw requestErrors.bytesOrKeySpec()
  }
  if (input.KeySpec === 'AES_128') return 16
  if (input.KeySpec === 'AES_256') return 32
  if (input.NumberOfBytes !== undefined) return input.NumberOfBytes
  throw requestErrors.bytesOrKeySpec()
}

/** Shared by both operations; `action` is the operation's own permission. */
export async function generateDataKey(ctx: OperationContext, input: GenerateDataKeyRequest, action: 'kms:GenerateDataKey' | 'kms:GenerateDataKeyWithoutPlaintext') {
  if (input.Recipient) throw requestErrors.recipientNotServed()
  const length = dataKeyLength(input)
  const key = await authorizedKey(ctx, input.KeyId, action, { allowAlias: true, conditions: { encryptionContext: input.EncryptionContext, 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } })
  requireSymmetricEncryptionKey(key, action.slice(4))
  endDryRun(input.DryRun)
  const plaintext = ctx.random(length)
  const sealed = await sealUnderKey(ctx, key, plaintext, input.EncryptionContext)
  return { CiphertextBlob: sealed.blob, Plaintext: plaintext, KeyId: keyArn(key), KeyMaterialId: sealed.materialId }
}

export const generateDataKeyOp = defineOperation({
  name: 'GenerateDataKey',
  auditInput: ['KeyId', 'KeySpec', 'NumberOfBytes', 'EncryptionContext', 'GrantTokens', 'DryRun'],
  auditOutput: ['KeyId', 'KeyMaterialId'],
  readOnly: true,
  keyScoped: true,
  run: (ctx, input) => generateDataKey(ctx, input, 'kms:GenerateDataKey'),
})
