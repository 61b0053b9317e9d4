// ListKeyPolicies: always the single name `default`.
import type { ListKeyPoliciesRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'
import { decodeMarker } from './pagination.js'

async function run(ctx: OperationContext, input: ListKeyPoliciesRequest) {
  decodeMarker(input.Marker)
  await authorizedKey(ctx, input.KeyId, 'kms:ListKeyPolicies', { allowAlias: false })
  return { PolicyNames: ['default'], Truncated: false }
}

export const listKeyPolicies = defineOperation({
  name: 'ListKeyPolicies', auditInput: ['KeyId', 'Limit', 'Marker'], auditOutput: [], readOnly: true, keyScoped: true, run,
})
