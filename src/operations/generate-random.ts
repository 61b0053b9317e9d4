// GenerateRandom: 1..1024 bytes from the operating system's CSPRNG.
import { KmsError } from '../wire/kms-error.js'
import type { GenerateRandomRequest } from '../wire/types.generated.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: GenerateRandomRequest) {
  if (input.NumberOfBytes === undefined) {
    throw new KmsError('ValidationException', '1 validation error detected: Value null at \'numberOfBytes\' failed to satisfy constraint: Member must not be null')
  }
  if (input.CustomKeyStoreId !== undefined) {
    throw new KmsError('CustomKeyStoreNotFoundException', 'The request was rejected because KMS cannot find a custom key store with the specified key store ID.')
  }
  if (input.Recipient) throw new KmsError('UnsupportedOperationException', 'Recipient attestation is not supported by this Trent server.')
  await ctx.authorize(null, 'kms:GenerateRandom')
  return { Plaintext: ctx.random(input.NumberOfBytes) }
}

export const generateRandom = defineOperation({
  name: 'GenerateRandom', auditInput: ['NumberOfBytes'], auditOutput: [], readOnly: true, keyScoped: false, run,
})
