// DescribeKey: full KeyMetadata for a key in any state.
import type { DescribeKeyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { toKeyMetadata } from './key-metadata.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: DescribeKeyRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:DescribeKey', { allowAlias: true })
  const current = await ctx.store.getKeyVersion(key.keyId, key.currentVersion)
  return { KeyMetadata: toKeyMetadata(key, current) }
}

export const describeKey = defineOperation({
  name: 'DescribeKey',
  auditInput: ['KeyId'],
  auditOutput: [],
  readOnly: true,
  keyScoped: true,
  run,
})
