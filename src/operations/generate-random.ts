// GenerateRandom: 1..1024 bytes from the operating system's CSPRNG.
import { lookupErrors, requestErrors } from '../wire/messages.js'
import type { GenerateRandomRequest } from '../wire/types.generated.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: GenerateRandomRequest) {
  if (input.NumberOfBytes === undefined) {
    throw requestErrors.numberOfBytesRequired()
  }
  if (input.CustomKeyStoreId !== undefined) {
    throw lookupErrors.customKeyStoreNotFound()
  }
  if (input.Recipient) throw requestErrors.recipientNotServed()
  await ctx.authorize(null, 'kms:GenerateRandom')
  return { Plaintext: ctx.random(input.NumberOfBytes) }
}

export const generateRandom = defineOperation({
  name: 'GenerateRandom', auditInput: ['NumberOfBytes'], auditOutput: [], readOnly: true, keyScoped: false, run,
})
