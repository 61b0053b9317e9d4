// ListGrants: a key's grants, optionally one grant or one grantee's, paginated.
import { displayedGrant } from '../auth/principal-display.js'
import type { ListGrantsRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { toGrantListEntry } from './grant-rules.js'
import { defineOperation, type OperationContext } from './operation.js'
import { decodeMarker, pageFields } from './pagination.js'

async function run(ctx: OperationContext, input: ListGrantsRequest) {
  const after = decodeMarker(input.Marker)
  const key = await authorizedKey(ctx, input.KeyId, 'kms:ListGrants', { allowAlias: false, conditions: { 'kms:GrantIsForAWSResource': false } })
  // Trent has no service principals, so a service-grantee filter matches nothing.
  if (input.GranteeServicePrincipal !== undefined) return { Grants: [], Truncated: false }
  const filter = { ...(input.GrantId ? { grantId: input.GrantId } : {}), ...(input.GranteePrincipal ? { granteePrincipal: input.GranteePrincipal } : {}) }
  const page = await ctx.store.listGrants(key.keyId, filter, after, input.Limit ?? 50)
  const shown = await Promise.all(page.items.map((g) => displayedGrant(ctx.store, g)))
  // A grant to a deleted principal reads as its unique id, so it is not a grant to a new principal of that name.
  const listed = input.GranteePrincipal === undefined ? shown : shown.filter((g) => g.granteePrincipal === input.GranteePrincipal)
  return { Grants: listed.map((g) => toGrantListEntry(g, key)), ...pageFields(page.nextAfter) }
}

export const listGrants = defineOperation({
  name: 'ListGrants', auditInput: ['KeyId', 'GrantId', 'GranteePrincipal', 'Limit', 'Marker'], auditOutput: [], readOnly: true, keyScoped: true, run,
})
