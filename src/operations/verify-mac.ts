// VerifyMac: recomputes the HMAC and compares in constant time; a mismatch is KMSInvalidMacException,
// never MacValid=false.
import { macMatches } from '../crypto/hmac.js'
import { keyArn } from '../keys/key.js'
import { keyErrors } from '../wire/messages.js'
import type { VerifyMacRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { requireMacKey } from './mac-request.js'
import { defineOperation, type OperationContext } from './operation.js'
import { endDryRun } from './symmetric-crypto.js'

async function run(ctx: OperationContext, input: VerifyMacRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:VerifyMac', { allowAlias: true, conditions: { 'kms:MacAlgorithm': input.MacAlgorithm } })
  const hash = requireMacKey(key, input.MacAlgorithm, 'VerifyMac')
  endDryRun(input.DryRun)
  const valid = await ctx.keyring.withMaterial(key, key.currentVersion, ({ material }) => macMatches(hash, material, input.Message, input.Mac))
  if (!valid) {
    throw keyErrors.invalidMac()
  }
  return { KeyId: keyArn(key), MacValid: true, MacAlgorithm: input.MacAlgorithm }
}

export const verifyMac = defineOperation({
  name: 'VerifyMac',
  auditInput: ['KeyId', 'MacAlgorithm', 'GrantTokens', 'DryRun'],
  auditOutput: ['KeyId', 'MacValid', 'MacAlgorithm'],
  readOnly: true,
  keyScoped: true,
  run,
})
