// GetKeyPolicy: the key's one policy, named `default`.
import { displayedKeyPolicy } from '../auth/principal-display.js'
import { sharedPolicyCache } from '../policy/policy-cache.js'
import type { GetKeyPolicyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { requireDefaultPolicyName } from './policy-name.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: GetKeyPolicyRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:GetKeyPolicy', { allowAlias: false })
  requireDefaultPolicyName(input.PolicyName)
  // As in AWS, a deleted user or role the policy named reads as its unique id.
  return { Policy: await displayedKeyPolicy(ctx.store, sharedPolicyCache, key.policy, key.policyBindings), PolicyName: 'default' }
}

export const getKeyPolicy = defineOperation({
  name: 'GetKeyPolicy', auditInput: ['KeyId', 'PolicyName'], auditOutput: [], readOnly: true, keyScoped: true, run,
})
