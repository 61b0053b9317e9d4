// TagResource: adds or overwrites tags on a key (at most 50 per key).
import { StoreLimitError } from '../store/store.js'
import type { TagResourceRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'
import { MAX_TAGS_PER_KEY, tagLimitExceeded, validateTags } from './tags.js'

async function run(ctx: OperationContext, input: TagResourceRequest) {
  const tags = validateTags(input.Tags)
  const key = await authorizedKey(ctx, input.KeyId, 'kms:TagResource', { allowAlias: false, conditions: { requestTags: tags } })
  try {
    await ctx.store.putTags(key.keyId, tags, MAX_TAGS_PER_KEY)
  } catch (e) {
    if (e instanceof StoreLimitError) throw tagLimitExceeded()
    throw e
  }
}

export const tagResource = defineOperation({
  name: 'TagResource', auditInput: ['KeyId', 'Tags'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
