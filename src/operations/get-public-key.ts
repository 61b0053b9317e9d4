// GetPublicKey: the DER SubjectPublicKeyInfo of a key pair, with what the key may be used for.
import { keyArn } from '../keys/key.js'
import { keyErrors } from '../wire/messages.js'
import type { GetPublicKeyRequest, GetPublicKeyResponse } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { legacyKeySpec } from './key-metadata.js'
import { keyPairCall, withPrivateKey } from './key-pair-crypto.js'
import { isAsymmetricSpec, keySpecProfile } from './key-specs.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: GetPublicKeyRequest): Promise<GetPublicKeyResponse> {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:GetPublicKey', { allowAlias: true })
  if (!isAsymmetricSpec(key.keySpec)) {
    throw keyErrors.noPublicKey(keyArn(key), key.keySpec)
  }
  const publicKey = await keyPairCall(withPrivateKey(ctx, key, (ref) => ctx.asymmetric.publicKey(ref)))
  const profile = keySpecProfile(key.keySpec)
  const reply: GetPublicKeyResponse = { KeyId: keyArn(key), PublicKey: publicKey, KeySpec: key.keySpec, KeyUsage: key.keyUsage }
  const legacy = legacyKeySpec(key.keySpec)
  if (legacy) reply.CustomerMasterKeySpec = legacy
  if (key.keyUsage === 'ENCRYPT_DECRYPT') reply.EncryptionAlgorithms = [...profile.encryptionAlgorithms]
  if (key.keyUsage === 'SIGN_VERIFY') reply.SigningAlgorithms = [...profile.signingAlgorithms]
  if (key.keyUsage === 'KEY_AGREEMENT') reply.KeyAgreementAlgorithms = [...profile.keyAgreementAlgorithms]
  return reply
}

export const getPublicKey = defineOperation({
  name: 'GetPublicKey',
  auditInput: ['KeyId', 'GrantTokens'],
  auditOutput: [],
  readOnly: true,
  keyScoped: true,
  run,
})
