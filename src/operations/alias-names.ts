// Alias name rules shared by CreateAlias, UpdateAlias and DeleteAlias.
import { aliasArn, type AliasRecord } from '../keys/key.js'
import { KmsError } from '../wire/kms-error.js'
import type { OperationContext } from './operation.js'

export const MAX_ALIASES_PER_KEY = 50

/** Throws InvalidAliasNameException for names outside `alias/` or inside the reserved `alias/aws/`. */
export function requireCustomerAliasName(name: string): void {
  if (!name.startsWith('alias/') || name.length === 'alias/'.length) {
    throw new KmsError('InvalidAliasNameException', 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html')
  }
  if (name.startsWith('alias/aws/')) {
    throw new KmsError('InvalidAliasNameException', 'Alias must not begin with "alias/aws/". These aliases are reserved for AWS managed keys.')
  }
}

/** Finds an existing alias of the caller's account or throws NotFoundException. */
export async function existingAlias(ctx: OperationContext, aliasName: string): Promise<AliasRecord> {
  const alias = await ctx.store.getAlias(ctx.principal.accountId, ctx.region, aliasName)
  if (!alias) throw new KmsError('NotFoundException', `Alias ${aliasArn({ region: ctx.region, accountId: ctx.principal.accountId, aliasName })} is not found.`)
  return alias
}

export function aliasLimitExceeded(): KmsError {
  return new KmsError('LimitExceededException', `A KMS key can have at most ${MAX_ALIASES_PER_KEY} aliases.`)
}
