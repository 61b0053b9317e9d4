// ListAliases: the account's aliases, or one key's, paginated.
import { aliasArn } from '../keys/key.js'
import { keyNotFound, resolveKey } from '../keys/resolve.js'
import type { ListAliasesRequest } from '../wire/types.generated.js'
import { defineOperation, type OperationContext } from './operation.js'
import { decodeMarker, pageFields, pageLimit } from './pagination.js'
import { publicKeyId } from '../keys/regional-key.js'

/** The KeyId filter names a key of the caller's own account; another account's key reads as absent, not as empty. */
async function ownKeyId(ctx: OperationContext, keyIdParam: string): Promise<string> {
  const { key } = await resolveKey({ store: ctx.store, accountId: ctx.principal.accountId, region: ctx.region }, keyIdParam, false)
  if (key.accountId !== ctx.principal.accountId) throw keyNotFound(key)
  return key.keyId
}

async function run(ctx: OperationContext, input: ListAliasesRequest) {
  const after = decodeMarker(input.Marker)
  await ctx.authorize(null, 'kms:ListAliases')
  const keyId = input.KeyId === undefined ? undefined : await ownKeyId(ctx, input.KeyId)
  const page = await ctx.store.listAliases(ctx.principal.accountId, ctx.region, keyId, after, pageLimit(input.Limit, 50, 100))
  const Aliases = page.items.map((a) => ({
    AliasName: a.aliasName, AliasArn: aliasArn(a), TargetKeyId: publicKeyId(a.keyId), CreationDate: a.createdAt, LastUpdatedDate: a.updatedAt,
  }))
  return { Aliases, ...pageFields(page.nextAfter) }
}

export const listAliases = defineOperation({
  name: 'ListAliases', auditInput: ['KeyId', 'Limit', 'Marker'], auditOutput: [], readOnly: true, keyScoped: false, run,
})
