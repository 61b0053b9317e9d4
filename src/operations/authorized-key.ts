// The first step of every key-scoped operation: resolve the KeyId parameter, then ask for a decision.
// Every decision on a key the request named goes through authorizeNamed, so the alias that named it
// always reaches the policy as kms:RequestAlias, whichever member carried it.
import type { KeyRecord } from '../keys/key.js'
import { resolveKey, type ResolvedKey } from '../keys/resolve.js'
import type { AuthorizationContext, OperationContext } from './operation.js'

export interface KeyAccess {
  /** Whether alias names and alias ARNs are accepted (crypto operations and DescribeKey) or only key ids/ARNs. */
  allowAlias: boolean
  conditions?: AuthorizationContext
}

/** Resolves a key-identifying member in the caller's scope, without deciding anything yet. */
export function resolveNamedKey(ctx: OperationContext, keyIdParam: string, allowAlias: boolean): Promise<ResolvedKey> {
  return resolveKey({ store: ctx.store, accountId: ctx.principal.accountId, region: ctx.region }, keyIdParam, allowAlias)
}

/** Asks for a decision on a resolved key; the alias that named it, if any, is kms:RequestAlias. Throws AccessDeniedException. */
export async function authorizeNamed(ctx: OperationContext, named: ResolvedKey, action: `kms:${string}`, conditions: AuthorizationContext = {}): Promise<KeyRecord> {
  const withAlias: AuthorizationContext = { ...conditions }
  if (named.requestAlias) withAlias['kms:RequestAlias'] = named.requestAlias
  await ctx.authorize(named.key, action, withAlias)
  return named.key
}

/** Resolves and authorizes; throws NotFoundException, InvalidArnException or AccessDeniedException. */
export async function authorizedKey(ctx: OperationContext, keyIdParam: string, action: `kms:${string}`, access: KeyAccess): Promise<KeyRecord> {
  return authorizeNamed(ctx, await resolveNamedKey(ctx, keyIdParam, access.allowAlias), action, access.conditions)
}
