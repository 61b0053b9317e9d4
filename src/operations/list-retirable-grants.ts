// ListRetirableGrants: grants, on keys of any account, that name the given principal as retiring principal.
import { accessDenied } from '../auth/authorizer.js'
import { parseIamArn } from '../auth/identities.js'
import { displayedGrant } from '../auth/principal-display.js'
import { grantErrors, requestErrors } from '../wire/messages.js'
import type { ListRetirableGrantsRequest } from '../wire/types.generated.js'
import { toGrantListEntry } from './grant-rules.js'
import { defineOperation, type OperationContext } from './operation.js'
import { decodeMarker, pageFields } from './pagination.js'

/**
 * AWS lets a caller list only for a retiring principal of its own account: the principal is the resource
 * authorized, and another account's principal has no resource policy to allow it. Without this check any
 * account could read another's grants (grantees, encryption-context constraints) by naming its principals.
 */
function requireOwnAccount(ctx: OperationContext, retiringPrincipal: string): void {
  const named = parseIamArn(retiringPrincipal)
  if (named !== undefined && named.accountId !== ctx.principal.accountId) {
    throw accessDenied(ctx.principal, 'kms:ListRetirableGrants', retiringPrincipal, 'because no resource-based policy allows the kms:ListRetirableGrants action')
  }
}

async function run(ctx: OperationContext, input: ListRetirableGrantsRequest) {
  const after = decodeMarker(input.Marker)
  if (input.RetiringServicePrincipal !== undefined) {
    throw grantErrors.servicePrincipals()
  }
  if (input.RetiringPrincipal === undefined) {
    throw requestErrors.missingMember('retiringPrincipal')
  }
  await ctx.authorize(null, 'kms:ListRetirableGrants')
  requireOwnAccount(ctx, input.RetiringPrincipal)
  const page = await ctx.store.listRetirableGrants(input.RetiringPrincipal, ctx.region, after, input.Limit ?? 50)
  const grants = []
  for (const grant of page.items) {
    const key = await ctx.store.getKey(grant.keyId)
    const shown = await displayedGrant(ctx.store, grant)
    // Grants whose retiring principal was deleted belong to nobody, not to a new principal of that name.
    if (key && shown.retiringPrincipal === input.RetiringPrincipal) grants.push(toGrantListEntry(shown, key))
  }
  return { Grants: grants, ...pageFields(page.nextAfter) }
}

export const listRetirableGrants = defineOperation({
  name: 'ListRetirableGrants', auditInput: ['RetiringPrincipal', 'Limit', 'Marker'], auditOutput: [], readOnly: true, keyScoped: false, run,
})
