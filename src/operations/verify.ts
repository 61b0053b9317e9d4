// Verify: checks a signature with the public half of a SIGN_VERIFY key pair. A signature that does not
// verify is KMSInvalidSignatureException, never SignatureValid=false. The MessageType may differ from the
// one used to sign, as long as it says truthfully whether Message is already hashed.
import { keyArn } from '../keys/key.js'
import { KmsError } from '../wire/kms-error.js'
import type { VerifyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { keyPairCall, privateKeyOf } from './key-pair-crypto.js'
import { defineOperation, type OperationContext } from './operation.js'
import { signingRequest } from './signing-request.js'
import { endDryRun } from './symmetric-crypto.js'

async function run(ctx: OperationContext, input: VerifyRequest) {
  const messageType = input.MessageType ?? 'RAW'
  const key = await authorizedKey(ctx, input.KeyId, 'kms:Verify', {
    allowAlias: true, conditions: { 'kms:SigningAlgorithm': input.SigningAlgorithm, 'kms:MessageType': messageType },
  })
  const request = signingRequest(key, 'Verify', input.SigningAlgorithm, messageType, input.Message)
  endDryRun(input.DryRun)
  const valid = await keyPairCall(ctx.asymmetric.verify(await privateKeyOf(ctx, key), request.scheme, request.input, input.Signature))
  if (!valid) throw new KmsError('KMSInvalidSignatureException', 'The signature is not valid for this message, key and signing algorithm.')
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
