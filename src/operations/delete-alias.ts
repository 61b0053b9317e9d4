// DeleteAlias: removes an alias; the key it named is untouched.
import type { DeleteAliasRequest } from '../wire/types.generated.js'
import { aliasArn } from '../keys/key.js'
import { existingAlias, requireCustomerAliasName } from './alias-names.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'
import { publicKeyId } from '../keys/regional-key.js'

async function run(ctx: OperationContext, input: DeleteAliasRequest) {
  requireCustomerAliasName(input.AliasName)
  // The alias side is decided by identity policy alone, on the alias ARN.
  await ctx.authorize(null, 'kms:DeleteAlias', { resourceArn: aliasArn({ region: ctx.region, accountId: ctx.principal.accountId, aliasName: input.AliasName }) })
  const alias = await existingAlias(ctx, input.AliasName)
  await authorizedKey(ctx, publicKeyId(alias.keyId), 'kms:DeleteAlias', { allowAlias: false })
  await ctx.store.deleteAlias(alias.accountId, alias.region, alias.aliasName)
}

export const deleteAlias = defineOperation({
  name: 'DeleteAlias', auditInput: ['AliasName'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
