// DescribeKey: full KeyMetadata for a key in any state.
import type { DescribeKeyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { summarizeImports } from './imported-key.js'
import { toKeyMetadata } from './key-metadata.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: DescribeKeyRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:DescribeKey', { allowAlias: true })
  const current = await ctx.store.getKeyVersion(key.keyId, key.currentVersion)
  // Only EXTERNAL keys pay for the listing their ExpirationModel and ValidTo need.
  const imports = key.origin === 'EXTERNAL' ? summarizeImports(key, await ctx.store.listAllKeyVersions(key.keyId)) : {}
  return { KeyMetadata: toKeyMetadata(key, current, imports) }
}

export const describeKey = defineOperation({
  name: 'DescribeKey',
  auditInput: ['KeyId'],
  auditOutput: [],
  readOnly: true,
  keyScoped: true,
  run,
})
