// ListAliases: the account's aliases, or one key's, paginated.
import { aliasArn } from '../keys/key.js'
import { resolveKey } from '../keys/resolve.js'
import type { ListAliasesRequest } from '../wire/types.generated.js'
import { defineOperation, type OperationContext } from './operation.js'
import { decodeMarker, pageFields } from './pagination.js'

async function run(ctx: OperationContext, input: ListAliasesRequest) {
  const after = decodeMarker(input.Marker)
  await ctx.authorize(null, 'kms:ListAliases')
  const scope = { store: ctx.store, accountId: ctx.principal.accountId, region: ctx.region }
  const keyId = input.KeyId === undefined ? undefined : (await resolveKey(scope, input.KeyId, false)).key.keyId
  const page = await ctx.store.listAliases(ctx.principal.accountId, ctx.region, keyId, after, input.Limit ?? 50)
  const Aliases = page.items.map((a) => ({
    AliasName: a.aliasName, AliasArn: aliasArn(a), TargetKeyId: a.keyId, CreationDate: a.createdAt, LastUpdatedDate: a.updatedAt,
  }))
  return { Aliases, ...pageFields(page.nextAfter) }
}

export const listAliases = defineOperation({
  name: 'ListAliases', auditInput: ['KeyId', 'Limit', 'Marker'], auditOutput: [], readOnly: true, keyScoped: false, run,
})
