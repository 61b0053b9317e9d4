// The first step of every key-scoped operation: resolve the KeyId parameter, then ask for a decision.
import type { KeyRecord } from '../keys/key.js'
import { resolveKey } from '../keys/resolve.js'
import type { AuthorizationContext, OperationContext } from './operation.js'

export interface KeyAccess {
  /** Whether alias names and alias ARNs are accepted (crypto operations and DescribeKey) or only key ids/ARNs. */
  allowAlias: boolean
  conditions?: AuthorizationContext
}

/** Resolves and authorizes; throws NotFoundException, InvalidArnException or AccessDeniedException. */
export async function authorizedKey(ctx: OperationContext, keyIdParam: string, action: `kms:${string}`, access: KeyAccess): Promise<KeyRecord> {
  const { key, requestAlias } = await resolveKey({ store: ctx.store, accountId: ctx.principal.accountId, region: ctx.region }, keyIdParam, access.allowAlias)
  const conditions: AuthorizationContext = { ...access.conditions }
  if (requestAlias) conditions['kms:RequestAlias'] = requestAlias
  await ctx.authorize(key, action, conditions)
  return key
}
