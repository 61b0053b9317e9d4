// Verify: checks a signature with the public half of a SIGN_VERIFY key pair. A signature that does not
// verify is KMSInvalidSignatureException, never SignatureValid=false. The MessageType may differ from the
// one used to sign, as long as it says truthfully whether Message is already hashed.
import { keyArn } from '../keys/key.js'
import { keyErrors } from '../wire/messages.js'
import type { VerifyRequest } from '../wire/types.generated.js'
import { keyPairCall, withPrivateKey } from './key-pair-crypto.js'
import { defineOperation, type OperationContext } from './operation.js'
import { authorizedSigningRequest } from './signing-request.js'

async function run(ctx: OperationContext, input: VerifyRequest) {
  const { key, ...request } = await authorizedSigningRequest(ctx, input, 'Verify')
  const valid = await keyPairCall(withPrivateKey(ctx, key, (ref) => ctx.asymmetric.verify(ref, request.scheme, request.input, input.Signature)))
  if (!valid) throw keyErrors.invalidSignature()
  return { KeyId: keyArn(key), SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm }
}

export const verify = defineOperation({
  name: 'Verify',
  auditInput: ['KeyId', 'MessageType', 'SigningAlgorithm', 'GrantTokens', 'DryRun'],
  auditOutput: ['KeyId', 'SignatureValid', 'SigningAlgorithm'],
  readOnly: true,
  keyScoped: true,
  run,
})
