// RetireGrant: the grant's retiring principal, its grantee (when it includes RetireGrant) or the key's
// account ends a grant, named by its token or by key ARN and grant id.
import { grantIdOfToken, invalidGrantToken } from '../auth/grant-token.js'
import { resolveKey } from '../keys/resolve.js'
import type { GrantRecord } from '../policy/grant.js'
import { grantErrors } from '../wire/messages.js'
import type { RetireGrantRequest } from '../wire/types.generated.js'
import { grantNotFound, requireGrantIdShape } from './grant-rules.js'
import { defineOperation, type OperationContext } from './operation.js'
import { endDryRun } from './symmetric-crypto.js'

async function grantByToken(ctx: OperationContext, token: string, grantId: string | undefined): Promise<GrantRecord> {
  const tokenGrantId = grantIdOfToken(token)
  if (tokenGrantId === undefined) throw invalidGrantToken()
  if (grantId !== undefined && grantId !== tokenGrantId) throw grantErrors.grantIdMismatch()
  const grant = await ctx.store.getGrant(tokenGrantId)
  if (!grant) throw invalidGrantToken()
  return grant
}

async function grantByKey(ctx: OperationContext, keyIdParam: string, grantId: string): Promise<GrantRecord> {
  requireGrantIdShape(grantId)
  const { key } = await resolveKey({ store: ctx.store, accountId: ctx.principal.accountId, region: ctx.region }, keyIdParam, false)
  const grant = await ctx.store.getGrant(grantId)
  if (!grant || grant.keyId !== key.keyId) throw grantNotFound(grantId)
  return grant
}

async function run(ctx: OperationContext, input: RetireGrantRequest) {
  let grant: GrantRecord
  if (input.GrantToken !== undefined) grant = await grantByToken(ctx, input.GrantToken, input.GrantId)
  else if (input.KeyId !== undefined && input.GrantId !== undefined) grant = await grantByKey(ctx, input.KeyId, input.GrantId)
  else throw grantErrors.tokenOrKeyAndId()
  const key = await ctx.store.getKey(grant.keyId)
  if (!key) throw grantNotFound(grant.grantId)
  // Regions are isolated: a token naming a grant on another region's key names nothing here.
  if (key.region !== ctx.region) throw input.GrantToken !== undefined ? invalidGrantToken() : grantNotFound(grant.grantId)
  await ctx.authorize(key, 'kms:RetireGrant', { retiringGrant: grant })
  endDryRun(input.DryRun)
  await ctx.store.deleteGrant(grant.grantId)
}

export const retireGrant = defineOperation({
  name: 'RetireGrant', auditInput: ['KeyId', 'GrantId', 'DryRun'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
