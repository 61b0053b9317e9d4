// ListKeys: the caller's keys in this region, in every state, paginated.
import { keyArn } from '../keys/key.js'
import type { ListKeysRequest } from '../wire/types.generated.js'
import { defineOperation, type OperationContext } from './operation.js'
import { decodeMarker, pageFields } from './pagination.js'
import { publicKeyId } from '../keys/regional-key.js'

async function run(ctx: OperationContext, input: ListKeysRequest) {
  const after = decodeMarker(input.Marker)
  await ctx.authorize(null, 'kms:ListKeys')
  const page = await ctx.store.listKeys(ctx.principal.accountId, ctx.region, after, input.Limit ?? 100)
  return { Keys: page.items.map((k) => ({ KeyId: publicKeyId(k.keyId), KeyArn: keyArn(k) })), ...pageFields(page.nextAfter) }
}

export const listKeys = defineOperation({
  name: 'ListKeys',
  auditInput: ['Limit', 'Marker'],
  auditOutput: [],
  readOnly: true,
  keyScoped: false,
  run,
})
