// UpdateAlias: re-points an alias to another key of the same type and usage.
import { aliasArn } from '../keys/key.js'
import { StoreLimitError } from '../store/store.js'
import { tagAliasErrors } from '../wire/messages.js'
import type { UpdateAliasRequest } from '../wire/types.generated.js'
import { MAX_ALIASES_PER_KEY, aliasLimitExceeded, existingAlias, requireCustomerAliasName } from './alias-names.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

/** Symmetric, asymmetric and HMAC keys are three kinds; an alias may move only within one kind and usage. */
function keyKind(spec: string): string {
  if (spec === 'SYMMETRIC_DEFAULT') return 'symmetric'
  return spec.startsWith('HMAC_') ? 'hmac' : 'asymmetric'
}

async function run(ctx: OperationContext, input: UpdateAliasRequest) {
  requireCustomerAliasName(input.AliasName)
  // The alias side is decided by identity policy alone, on the alias ARN.
  await ctx.authorize(null, 'kms:UpdateAlias', { resourceArn: aliasArn({ region: ctx.region, accountId: ctx.principal.accountId, aliasName: input.AliasName }) })
  const alias = await existingAlias(ctx, input.AliasName)
  const oldKey = await authorizedKey(ctx, alias.keyId, 'kms:UpdateAlias', { allowAlias: false, conditions: { keyRole: 'aliasCurrentTarget' } })
  const newKey = await authorizedKey(ctx, input.TargetKeyId, 'kms:UpdateAlias', { allowAlias: false })
  if (keyKind(oldKey.keySpec) !== keyKind(newKey.keySpec) || oldKey.keyUsage !== newKey.keyUsage) {
    throw tagAliasErrors.aliasTargetMismatch()
  }
  try {
    await ctx.store.updateAlias({ ...alias, keyId: newKey.keyId, updatedAt: ctx.clock.now() }, MAX_ALIASES_PER_KEY)
  } catch (e) {
    if (e instanceof StoreLimitError) throw aliasLimitExceeded()
    throw e
  }
}

export const updateAlias = defineOperation({
  name: 'UpdateAlias', auditInput: ['AliasName', 'TargetKeyId'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
