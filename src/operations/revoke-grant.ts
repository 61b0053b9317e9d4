// RevokeGrant: the key's administrators (kms:RevokeGrant in the key policy) delete a grant of the key.
import type { RevokeGrantRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { grantNotFound, requireGrantIdShape } from './grant-rules.js'
import { defineOperation, type OperationContext } from './operation.js'
import { endDryRun } from './symmetric-crypto.js'

async function run(ctx: OperationContext, input: RevokeGrantRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:RevokeGrant', { allowAlias: false, conditions: { 'kms:GrantIsForAWSResource': false } })
  requireGrantIdShape(input.GrantId)
  const grant = await ctx.store.getGrant(input.GrantId)
  if (!grant || grant.keyId !== key.keyId) throw grantNotFound(input.GrantId)
  endDryRun(input.DryRun)
  await ctx.store.deleteGrant(grant.grantId)
}

export const revokeGrant = defineOperation({
  name: 'RevokeGrant', auditInput: ['KeyId', 'GrantId', 'DryRun'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
