// DeriveSharedSecret: ECDH between a KEY_AGREEMENT key pair's private key and a peer's public key
// (DER SubjectPublicKeyInfo on the same NIST curve); the raw shared secret is returned.
import { keyArn } from '../keys/key.js'
import { requireUsage } from '../keys/key-state.js'
import { keyErrors, requestErrors } from '../wire/messages.js'
import type { DeriveSharedSecretRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { incompatibleAlgorithm, keyPairCall, withPrivateKey } from './key-pair-crypto.js'
import { keySpecProfile } from './key-specs.js'
import { defineOperation, type OperationContext } from './operation.js'
import { endDryRun } from './symmetric-crypto.js'

async function run(ctx: OperationContext, input: DeriveSharedSecretRequest) {
  if (input.Recipient) throw requestErrors.recipientNotServed()
  const key = await authorizedKey(ctx, input.KeyId, 'kms:DeriveSharedSecret', {
    allowAlias: true, conditions: { 'kms:KeyAgreementAlgorithm': input.KeyAgreementAlgorithm },
  })
  requireUsage(key, 'KEY_AGREEMENT', 'DeriveSharedSecret')
  if (!keySpecProfile(key.keySpec).keyAgreementAlgorithms.includes(input.KeyAgreementAlgorithm)) throw incompatibleAlgorithm(input.KeyAgreementAlgorithm, key)
  endDryRun(input.DryRun)
  const secret = await keyPairCall(withPrivateKey(ctx, key, (ref) => ctx.asymmetric.deriveSharedSecret(ref, input.PublicKey)), {
    'invalid-peer-key': () => keyErrors.invalidPeerPublicKey(),
  })
  return { KeyId: keyArn(key), SharedSecret: secret, KeyAgreementAlgorithm: input.KeyAgreementAlgorithm, KeyOrigin: key.origin }
}

export const deriveSharedSecret = defineOperation({
  name: 'DeriveSharedSecret',
  auditInput: ['KeyId', 'KeyAgreementAlgorithm', 'GrantTokens', 'DryRun'],
  auditOutput: ['KeyId', 'KeyAgreementAlgorithm', 'KeyOrigin'],
  readOnly: true,
  keyScoped: true,
  run,
})
