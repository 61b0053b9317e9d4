// UntagResource: removes tags by key; absent tag keys are ignored, as in AWS.
import { tagAliasErrors } from '../wire/messages.js'
import type { UntagResourceRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: UntagResourceRequest) {
  if (input.TagKeys.some((k) => k.toLowerCase().startsWith('aws:'))) throw tagAliasErrors.reservedTag()
  const key = await authorizedKey(ctx, input.KeyId, 'kms:UntagResource', { allowAlias: false, conditions: { requestTagKeys: input.TagKeys } })
  await ctx.store.deleteTags(key.keyId, input.TagKeys)
}

export const untagResource = defineOperation({
  name: 'UntagResource', auditInput: ['KeyId', 'TagKeys'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
