// GetParametersForImport: a fresh RSA wrapping key pair (made off the event loop) and an import token that
// carries its private half sealed under the root key, bound to this key, wrapping key and algorithm, valid 24 h.
import { keyArn } from '../keys/key.js'
import { IMPORT_TOKEN_LIFETIME_MS, sealImportToken, WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS, type WrappingAlgorithmName, type WrappingKeySpecName } from '../keys/import-token.js'
import { importErrors } from '../wire/messages.js'
import type { GetParametersForImportRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { requireExternalOrigin } from './imported-key.js'
import { defineOperation, type OperationContext } from './operation.js'

const rsaKinds = { RSA_2048: 'rsa-2048', RSA_3072: 'rsa-3072', RSA_4096: 'rsa-4096' } as const

function wrappingChoice(input: GetParametersForImportRequest): { spec: WrappingKeySpecName; algorithm: WrappingAlgorithmName } {
  if (!(WRAPPING_KEY_SPECS as readonly string[]).includes(input.WrappingKeySpec)) throw importErrors.wrappingNotInRegion('WrappingKeySpec', input.WrappingKeySpec)
  if (input.WrappingAlgorithm === 'RSAES_PKCS1_V1_5') throw importErrors.pkcs1Retired()
  if (!(WRAPPING_ALGORITHMS as readonly string[]).includes(input.WrappingAlgorithm)) throw importErrors.wrappingNotInRegion('WrappingAlgorithm', input.WrappingAlgorithm)
  return { spec: input.WrappingKeySpec as WrappingKeySpecName, algorithm: input.WrappingAlgorithm as WrappingAlgorithmName }
}

async function run(ctx: OperationContext, input: GetParametersForImportRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:GetParametersForImport', {
    allowAlias: false, conditions: { 'kms:WrappingAlgorithm': input.WrappingAlgorithm, 'kms:WrappingKeySpec': input.WrappingKeySpec },
  })
  requireExternalOrigin(key)
  // The origin rule comes first (AWS answers it in every state); then the key-state table (key-state.ts).
  ctx.checkKeyState(key)
  const { spec, algorithm } = wrappingChoice(input)
  const pair = await ctx.asymmetric.generateKeyPair(rsaKinds[spec])
  const validTo = new Date(ctx.clock.now().getTime() + IMPORT_TOKEN_LIFETIME_MS)
  try {
    const token = await sealImportToken(ctx.keyring, { keyId: key.keyId, wrappingKeySpec: spec, wrappingAlgorithm: algorithm, validTo }, pair.privateKey)
    return { KeyId: keyArn(key), ImportToken: token, PublicKey: pair.publicKey, ParametersValidTo: validTo }
  } finally {
    pair.privateKey.fill(0)
  }
}

export const getParametersForImport = defineOperation({
  name: 'GetParametersForImport',
  auditInput: ['KeyId', 'WrappingAlgorithm', 'WrappingKeySpec'],
  auditOutput: ['KeyId', 'ParametersValidTo'],
  readOnly: true,
  keyScoped: true,
  run,
})
