// GenerateDataKeyWithoutPlaintext: GenerateDataKey minus the plaintext copy.
import type { GenerateDataKeyWithoutPlaintextRequest } from '../wire/types.generated.js'
import { generateDataKey } from './generate-data-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: GenerateDataKeyWithoutPlaintextRequest) {
  const { Plaintext, ...rest } = await generateDataKey(ctx, input, 'kms:GenerateDataKeyWithoutPlaintext')
  Plaintext.fill(0)
  return rest
}

export const generateDataKeyWithoutPlaintext = defineOperation({
  name: 'GenerateDataKeyWithoutPlaintext',
  auditInput: ['KeyId', 'KeySpec', 'NumberOfBytes', 'EncryptionContext', 'GrantTokens', 'DryRun'],
  auditOutput: ['KeyId', 'KeyMaterialId'],
  readOnly: true,
  keyScoped: true,
  run,
})
