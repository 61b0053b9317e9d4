// ListResourceTags: a key's tags ordered by tag key, paginated.
import type { ListResourceTagsRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'
import { decodeMarker, pageFields, pageLimit } from './pagination.js'

/**
 * Pages follow UTF-8 byte order, sorted here rather than trusted to the driver's collation: JavaScript's `<`
 * compares UTF-16 units, which disagrees with byte order above U+FFFF and would skip tags across a marker.
 */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

async function run(ctx: OperationContext, input: ListResourceTagsRequest) {
  const after = decodeMarker(input.Marker)
  const key = await authorizedKey(ctx, input.KeyId, 'kms:ListResourceTags', { allowAlias: false })
  const all = [...(await ctx.store.listTags(key.keyId))].sort((a, b) => compareUtf8(a.tagKey, b.tagKey))
  const remaining = after === undefined ? all : all.filter((t) => compareUtf8(t.tagKey, after) > 0)
  const limit = pageLimit(input.Limit, 50, 50)
  const page = remaining.slice(0, limit)
  const nextAfter = remaining.length > limit ? page[page.length - 1]?.tagKey : undefined
  return { Tags: page.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })), ...pageFields(nextAfter) }
}

export const listResourceTags = defineOperation({
  name: 'ListResourceTags', auditInput: ['KeyId', 'Limit', 'Marker'], auditOutput: [], readOnly: true, keyScoped: true, run,
})
