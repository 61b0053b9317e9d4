// Sign: a signature by the private half of a SIGN_VERIFY key pair, over a message, a digest or an
// ML-DSA μ. RSA signatures are as long as the modulus, ECDSA signatures are DER.
import { keyArn } from '../keys/key.js'
import type { SignRequest } from '../wire/types.generated.js'
import { keyPairCall, withPrivateKey } from './key-pair-crypto.js'
import { defineOperation, type OperationContext } from './operation.js'
import { authorizedSigningRequest } from './signing-request.js'

async function run(ctx: OperationContext, input: SignRequest) {
  const { key, ...request } = await authorizedSigningRequest(ctx, input, 'Sign')
  const signature = await keyPairCall(withPrivateKey(ctx, key, (ref) => ctx.asymmetric.sign(ref, request.scheme, request.input)))
  return { KeyId: keyArn(key), Signature: signature, SigningAlgorithm: input.SigningAlgorithm }
}

export const sign = defineOperation({
  name: 'Sign',
  auditInput: ['KeyId', 'MessageType', 'SigningAlgorithm', 'GrantTokens', 'DryRun'],
  auditOutput: ['KeyId', 'SigningAlgorithm'],
  readOnly: true,
  keyScoped: true,
  run,
})
