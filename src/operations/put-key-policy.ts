// PutKeyPolicy: replaces the key policy after validating the document and the lockout safety check.
import type { PutKeyPolicyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { changeKey } from './change-key.js'
import { requireLockoutSafe, validateKeyPolicy, withKeyPolicy } from './key-policy.js'
import { requireDefaultPolicyName } from './policy-name.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: PutKeyPolicyRequest) {
  requireDefaultPolicyName(input.PolicyName)
  const key = await authorizedKey(ctx, input.KeyId, 'kms:PutKeyPolicy', {
    allowAlias: false, conditions: { 'kms:BypassPolicyLockoutSafetyCheck': input.BypassPolicyLockoutSafetyCheck },
  })
  const bindings = await validateKeyPolicy(ctx.store, input.Policy)
  await changeKey(ctx, key, 'PutKeyPolicy', async (current) => {
    const updated = withKeyPolicy(current, input.Policy, bindings)
    await requireLockoutSafe(ctx, updated, input.BypassPolicyLockoutSafetyCheck)
    return updated
  })
}

export const putKeyPolicy = defineOperation({
  name: 'PutKeyPolicy', auditInput: ['KeyId', 'PolicyName', 'Policy', 'BypassPolicyLockoutSafetyCheck'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
