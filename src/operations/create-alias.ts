// CreateAlias: a new name for a customer managed key in this account and region.
import { aliasArn } from '../keys/key.js'
import { StoreConflictError, StoreLimitError } from '../store/store.js'
import { tagAliasErrors } from '../wire/messages.js'
import type { CreateAliasRequest } from '../wire/types.generated.js'
import { MAX_ALIASES_PER_KEY, aliasLimitExceeded, requireCustomerAliasName } from './alias-names.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: CreateAliasRequest) {
  requireCustomerAliasName(input.AliasName)
  // The alias side is decided by identity policy alone, on the alias ARN.
  await ctx.authorize(null, 'kms:CreateAlias', { resourceArn: aliasArn({ region: ctx.region, accountId: ctx.principal.accountId, aliasName: input.AliasName }) })
  const key = await authorizedKey(ctx, input.TargetKeyId, 'kms:CreateAlias', { allowAlias: false })
  const now = ctx.clock.now()
  const alias = { accountId: ctx.principal.accountId, region: ctx.region, aliasName: input.AliasName, keyId: key.keyId, createdAt: now, updatedAt: now }
  try {
    await ctx.store.insertAlias(alias, MAX_ALIASES_PER_KEY)
  } catch (e) {
    if (e instanceof StoreConflictError) throw tagAliasErrors.aliasExists(aliasArn(alias))
    if (e instanceof StoreLimitError) throw aliasLimitExceeded()
    throw e
  }
}

export const createAlias = defineOperation({
  name: 'CreateAlias', auditInput: ['AliasName', 'TargetKeyId'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
