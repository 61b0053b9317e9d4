// GenerateMac: the HMAC (RFC 2104) of a message of up to 4096 bytes under an HMAC key.
import { computeMac } from '../crypto/hmac.js'
import { keyArn } from '../keys/key.js'
import type { GenerateMacRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { requireMacKey } from './mac-request.js'
import { defineOperation, type OperationContext } from './operation.js'
import { endDryRun } from './symmetric-crypto.js'

async function run(ctx: OperationContext, input: GenerateMacRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:GenerateMac', { allowAlias: true, conditions: { 'kms:MacAlgorithm': input.MacAlgorithm } })
  const hash = requireMacKey(key, input.MacAlgorithm, 'GenerateMac')
  endDryRun(input.DryRun)
  const mac = await ctx.keyring.withMaterial(key, key.currentVersion, ({ material }) => computeMac(hash, material, input.Message))
  return { Mac: mac, MacAlgorithm: input.MacAlgorithm, KeyId: keyArn(key) }
}

export const generateMac = defineOperation({
  name: 'GenerateMac',
  auditInput: ['KeyId', 'MacAlgorithm', 'GrantTokens', 'DryRun'],
  auditOutput: ['KeyId', 'MacAlgorithm'],
  readOnly: true,
  keyScoped: true,
  run,
})
