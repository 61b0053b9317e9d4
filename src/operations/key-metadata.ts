// The KeyMetadata structure AWS returns from CreateKey and DescribeKey, built from a stored key.
import { keyArn, type KeyRecord, type KeyVersion } from '../keys/key.js'
import type { CustomerMasterKeySpec, KeyMetadata, KeySpec } from '../wire/types.generated.js'
import type { ImportSummary } from './imported-key.js'
import { keySpecProfile } from './key-specs.js'

/** CustomerMasterKeySpec is deprecated and its enum lacks the newer specs; AWS omits it for those. */
const legacySpecs = new Set<string>(['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2'])

/** The deprecated CustomerMasterKeySpec for a spec its enum has (GetPublicKey reports it too). */
export function legacyKeySpec(spec: KeySpec): CustomerMasterKeySpec | undefined {
  return legacySpecs.has(spec) ? spec as CustomerMasterKeySpec : undefined
}

/**
 * The members that apply to this key, and none that do not, as each member's model documentation says:
 * DeletionDate only while PendingDeletion, one algorithm list per usage, MultiRegionConfiguration only for
 * multi-Region keys, ExpirationModel and ValidTo (`imports`, from imported-key.ts summarizeImports) only for
 * EXTERNAL keys. PendingDeletionWindowInDays (PendingReplicaDeletion), CustomKeyStoreId, CloudHsmClusterId and
 * XksKeyConfiguration (custom key stores) belong to keys Trent does not make.
 */
export function toKeyMetadata(key: KeyRecord, current: KeyVersion | undefined, imports: ImportSummary = {}): KeyMetadata {
  const profile = keySpecProfile(key.keySpec)
  const meta: KeyMetadata = {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: keyArn(key),
    CreationDate: key.createdAt,
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    Origin: key.origin,
    KeyManager: 'CUSTOMER',
    KeySpec: key.keySpec,
    MultiRegion: key.multiRegion,
  }
  if (legacySpecs.has(key.keySpec)) meta.CustomerMasterKeySpec = key.keySpec as CustomerMasterKeySpec
  if (key.keyState === 'PendingDeletion' && key.deletionDate) meta.DeletionDate = key.deletionDate
  if (key.keyUsage === 'ENCRYPT_DECRYPT') meta.EncryptionAlgorithms = [...profile.encryptionAlgorithms]
  if (key.keyUsage === 'SIGN_VERIFY') meta.SigningAlgorithms = [...profile.signingAlgorithms]
  if (key.keyUsage === 'GENERATE_VERIFY_MAC') meta.MacAlgorithms = [...profile.macAlgorithms]
  if (key.keyUsage === 'KEY_AGREEMENT') meta.KeyAgreementAlgorithms = [...profile.keyAgreementAlgorithms]
  if (key.multiRegion) {
    meta.MultiRegionConfiguration = { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: keyArn(key), Region: key.region }, ReplicaKeys: [] }
  }
  if (key.origin === 'EXTERNAL' && imports.expirationModel) meta.ExpirationModel = imports.expirationModel
  if (key.origin === 'EXTERNAL' && imports.validTo) meta.ValidTo = imports.validTo
  // The model: present for symmetric encryption keys of origin AWS_KMS or EXTERNAL (not custom key stores), once material exists.
  if (current && key.keySpec === 'SYMMETRIC_DEFAULT' && (key.origin === 'AWS_KMS' || key.origin === 'EXTERNAL')) meta.CurrentKeyMaterialId = current.materialId
  return meta
}
