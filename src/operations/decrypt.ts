// Decrypt: finds the key from the blob header; a KeyId that names another key is IncorrectKeyException.
// A KeyId naming a key pair selects RSA-OAEP decryption of bare RSA ciphertext instead.
import { keyArn } from '../keys/key.js'
import { keyErrors, requestErrors } from '../wire/messages.js'
import type { DecryptRequest } from '../wire/types.generated.js'
import { dryRunWithoutCiphertext, ignoresCiphertext } from './dry-run-without-ciphertext.js'
import { decryptWithKeyPair, requireKeyPairEncryption } from './asymmetric-encryption.js'
import type { ResolvedKey } from '../keys/resolve.js'
import { authorizeNamed } from './authorized-key.js'
import { namedKeyPair } from './key-pair-crypto.js'
import { defineOperation, type OperationContext } from './operation.js'
import { requireCiphertext, endDryRun, keyForBlob, openWithKey, requireDecryptable } from './symmetric-crypto.js'

async function decryptWithNamedKeyPair(ctx: OperationContext, input: DecryptRequest, named: ResolvedKey, blob: Uint8Array) {
  const key = await authorizeNamed(ctx, named, 'kms:Decrypt', { encryptionContext: input.EncryptionContext, 'kms:EncryptionAlgorithm': input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' })
  const use = requireKeyPairEncryption(key, input.EncryptionAlgorithm, input.EncryptionContext, 'Decrypt')
  endDryRun(input.DryRun)
  return { KeyId: keyArn(key), Plaintext: await decryptWithKeyPair(ctx, use, blob), EncryptionAlgorithm: use.algorithm }
}

async function run(ctx: OperationContext, input: DecryptRequest) {
  const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT'
  if (input.Recipient) throw requestErrors.recipientNotServed()
  if (ignoresCiphertext(input.DryRun, input.DryRunModifiers)) {
    const conditions = { encryptionContext: input.EncryptionContext, 'kms:EncryptionAlgorithm': algorithm }
    return dryRunWithoutCiphertext(ctx, 'Decrypt', [{ keyIdParam: input.KeyId, member: 'KeyId', action: 'kms:Decrypt', conditions }])
  }
  const blob = requireCiphertext(input.CiphertextBlob)
  const pair = await namedKeyPair(ctx, input.KeyId)
  if (pair) return decryptWithNamedKeyPair(ctx, input, pair, blob)
  const found = await keyForBlob(ctx, blob, input.KeyId)
  const key = await authorizeNamed(ctx, found, 'kms:Decrypt', { encryptionContext: input.EncryptionContext, 'kms:EncryptionAlgorithm': algorithm })
  if (algorithm !== 'SYMMETRIC_DEFAULT') {
    throw keyErrors.incompatibleAlgorithm(algorithm, key.keySpec)
  }
  requireDecryptable(key, 'Decrypt')
  endDryRun(input.DryRun)
  const opened = await openWithKey(ctx, key, found.keyVersion, blob, input.EncryptionContext)
  return { KeyId: keyArn(key), Plaintext: opened.plaintext, EncryptionAlgorithm: algorithm, KeyMaterialId: opened.materialId }
}

export const decrypt = defineOperation({
  name: 'Decrypt',
  auditInput: ['KeyId', 'EncryptionContext', 'EncryptionAlgorithm', 'GrantTokens', 'DryRun', 'DryRunModifiers'],
  auditOutput: ['KeyId', 'EncryptionAlgorithm', 'KeyMaterialId'],
  readOnly: true,
  keyScoped: true,
  run,
})
