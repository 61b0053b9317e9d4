// CreateGrant: lets a grantee principal use the key for some operations, optionally only under an
// encryption-context constraint. A Name makes the call idempotent per key; every call returns a new token.
import { randomBytes } from 'node:crypto'
import { resolvePrincipalArn } from '../auth/principal-existence.js'
import { issueGrantToken } from '../auth/grant-token.js'
import type { GrantConstraintSet, GrantRecord } from '../policy/grant.js'
import { StoreLimitError } from '../store/store.js'
import { grantErrors } from '../wire/messages.js'
import type { CreateGrantRequest, GrantOperation } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { MAX_GRANTS_PER_KEY, constraintSetOf, grantFingerprint, requireOperationsFitKey } from './grant-rules.js'
import { defineOperation, type OperationContext } from './operation.js'
import { endDryRun } from './symmetric-crypto.js'

function requireGrantee(input: CreateGrantRequest): string {
  if (input.GranteeServicePrincipal !== undefined || input.RetiringServicePrincipal !== undefined) {
    throw grantErrors.servicePrincipals()
  }
  if (input.GranteePrincipal === undefined) {
    throw grantErrors.oneGrantee()
  }
  return input.GranteePrincipal
}

/** The unique id the grant binds `arn` to (none for an account root); ValidationException when nobody has it. */
async function bindExistingPrincipal(ctx: OperationContext, arn: string, member: string): Promise<{ id: string | undefined }> {
  const ref = await resolvePrincipalArn(ctx.store, arn)
  if (!ref) throw grantErrors.notAPrincipal(member, arn)
  return { id: ref.uniqueId }
}

function constraintType(constraints: GrantConstraintSet | undefined): string | undefined {
  if (constraints?.encryptionContextEquals) return 'EncryptionContextEquals'
  return constraints?.encryptionContextSubset ? 'EncryptionContextSubset' : undefined
}

async function run(ctx: OperationContext, input: CreateGrantRequest) {
  const grantee = requireGrantee(input)
  const operations = [...new Set(input.Operations)] as GrantOperation[]
  if (operations.length === 0) throw grantErrors.noOperations()
  const constraints = constraintSetOf(input.Constraints)
  const key = await authorizedKey(ctx, input.KeyId, 'kms:CreateGrant', {
    allowAlias: false,
    conditions: {
      'kms:GrantOperations': operations, 'kms:GranteePrincipal': grantee, 'kms:RetiringPrincipal': input.RetiringPrincipal,
      'kms:GrantConstraintType': constraintType(constraints), 'kms:GrantIsForAWSResource': false,
      encryptionContext: constraints?.encryptionContextEquals ?? constraints?.encryptionContextSubset,
      childGrant: { operations, ...(constraints ? { constraints } : {}) },
    },
  })
  requireOperationsFitKey(key, operations, constraints)
  const granteeId = (await bindExistingPrincipal(ctx, grantee, 'GranteePrincipal')).id
  const retiringId = input.RetiringPrincipal === undefined ? undefined : (await bindExistingPrincipal(ctx, input.RetiringPrincipal, 'RetiringPrincipal')).id
  endDryRun(input.DryRun)
  const params = { granteePrincipal: grantee, operations, ...(input.RetiringPrincipal ? { retiringPrincipal: input.RetiringPrincipal } : {}), ...(constraints ? { constraints } : {}) }
  const grant: GrantRecord = {
    grantId: randomBytes(32).toString('hex'), keyId: key.keyId, issuingAccount: key.accountId, createdAt: ctx.clock.now(),
    ...params, fingerprint: grantFingerprint(params), ...(input.Name !== undefined ? { name: input.Name } : {}),
    ...(granteeId !== undefined ? { granteeUniqueId: granteeId } : {}), ...(retiringId !== undefined ? { retiringUniqueId: retiringId } : {}),
  }
  let stored: GrantRecord
  try {
    stored = await ctx.store.createGrant(grant, MAX_GRANTS_PER_KEY)
  } catch (e) {
    if (e instanceof StoreLimitError) throw grantErrors.grantLimit(MAX_GRANTS_PER_KEY)
    throw e
  }
  return { GrantId: stored.grantId, GrantToken: issueGrantToken(stored.grantId) }
}

export const createGrant = defineOperation({
  name: 'CreateGrant',
  auditInput: ['KeyId', 'GranteePrincipal', 'RetiringPrincipal', 'Operations', 'Constraints', 'GrantTokens', 'Name', 'DryRun'],
  auditOutput: ['GrantId'],
  readOnly: false,
  keyScoped: true,
  run,
})
