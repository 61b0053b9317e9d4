// UpdateKeyDescription: replaces the key's description.
import type { UpdateKeyDescriptionRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: UpdateKeyDescriptionRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:UpdateKeyDescription', { allowAlias: false })
  await ctx.store.updateKey({ ...key, description: input.Description })
}

export const updateKeyDescription = defineOperation({
  name: 'UpdateKeyDescription', auditInput: ['KeyId', 'Description'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
