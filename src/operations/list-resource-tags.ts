// ListResourceTags: a key's tags ordered by tag key, paginated.
import type { ListResourceTagsRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'
import { decodeMarker, pageFields } from './pagination.js'

async function run(ctx: OperationContext, input: ListResourceTagsRequest) {
  const after = decodeMarker(input.Marker)
  const key = await authorizedKey(ctx, input.KeyId, 'kms:ListResourceTags', { allowAlias: false })
  const all = await ctx.store.listTags(key.keyId)
  const remaining = after === undefined ? all : all.filter((t) => t.tagKey > after)
  const limit = input.Limit ?? 50
  const page = remaining.slice(0, limit)
  const nextAfter = remaining.length > limit ? page[page.length - 1]?.tagKey : undefined
  return { Tags: page.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })), ...pageFields(nextAfter) }
}

export const listResourceTags = defineOperation({
  name: 'ListResourceTags', auditInput: ['KeyId', 'Limit', 'Marker'], auditOutput: [], readOnly: true, keyScoped: true, run,
})
