// GenerateDataKeyPairWithoutPlaintext: GenerateDataKeyPair minus the plaintext private key.
import { generateDataKeyPair } from './generate-data-key-pair.js'
import { defineOperation } from './operation.js'

export const generateDataKeyPairWithoutPlaintext = defineOperation({
  name: 'GenerateDataKeyPairWithoutPlaintext',
  auditInput: ['KeyId', 'KeyPairSpec', 'EncryptionContext', 'GrantTokens', 'DryRun'],
  auditOutput: ['KeyId', 'KeyPairSpec', 'KeyMaterialId'],
  readOnly: true,
  keyScoped: true,
  async run(ctx, input) {
    const { PrivateKeyPlaintext, ...rest } = await generateDataKeyPair(ctx, input, 'kms:GenerateDataKeyPairWithoutPlaintext')
    PrivateKeyPlaintext.fill(0)
    return rest
  },
})
