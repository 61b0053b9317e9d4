// Alias name rules shared by CreateAlias, UpdateAlias and DeleteAlias.
import { aliasArn, type AliasRecord } from '../keys/key.js'
import type { KmsError } from '../wire/kms-error.js'
import { lookupErrors, tagAliasErrors } from '../wire/messages.js'
import type { OperationContext } from './operation.js'

export const MAX_ALIASES_PER_KEY = 50

/** Throws ValidationException for names outside `alias/` (as AWS does) and InvalidAliasNameException inside the reserved `alias/aws/`. */
export function requireCustomerAliasName(name: string): void {
  if (!name.startsWith('alias/') || name.length === 'alias/'.length) {
    throw tagAliasErrors.aliasPrefix()
  }
  if (name.startsWith('alias/aws/')) {
    throw tagAliasErrors.aliasReserved()
  }
}

/** Finds an existing alias of the caller's account or throws NotFoundException. */
export async function existingAlias(ctx: OperationContext, aliasName: string): Promise<AliasRecord> {
  const alias = await ctx.store.getAlias(ctx.principal.accountId, ctx.region, aliasName)
  if (!alias) throw lookupErrors.aliasNotFound(aliasArn({ region: ctx.region, accountId: ctx.principal.accountId, aliasName }))
  return alias
}

export function aliasLimitExceeded(): KmsError {
  return tagAliasErrors.aliasLimit(MAX_ALIASES_PER_KEY)
}
