// PutKeyPolicy: replaces the key policy after validating the document.
import type { PutKeyPolicyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { validateKeyPolicy } from './key-policy.js'
import { requireDefaultPolicyName } from './policy-name.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: PutKeyPolicyRequest) {
  requireDefaultPolicyName(input.PolicyName)
  validateKeyPolicy(input.Policy)
  const key = await authorizedKey(ctx, input.KeyId, 'kms:PutKeyPolicy', {
    allowAlias: false, conditions: { 'kms:BypassPolicyLockoutSafetyCheck': input.BypassPolicyLockoutSafetyCheck ?? false },
  })
  await ctx.store.updateKey({ ...key, policy: input.Policy })
}

export const putKeyPolicy = defineOperation({
  name: 'PutKeyPolicy', auditInput: ['KeyId', 'PolicyName', 'Policy', 'BypassPolicyLockoutSafetyCheck'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
