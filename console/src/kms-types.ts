// The few reply members the console reads, named as the KMS API names them (the server's wire types are
// generated from the model; these mirror only what the views display).
export interface KeyMetadata {
  KeyId: string
  Arn: string
  AWSAccountId: string
  KeyState: string
  KeySpec: string
  KeyUsage: string
  KeyManager?: string
  Origin?: string
  Description?: string
  Enabled?: boolean
  MultiRegion?: boolean
  CreationDate?: number
  DeletionDate?: number
  PendingDeletionWindowInDays?: number
  EncryptionAlgorithms?: string[]
  SigningAlgorithms?: string[]
  MacAlgorithms?: string[]
  KeyAgreementAlgorithms?: string[]
}

export interface AliasEntry {
  AliasName: string
  AliasArn: string
  TargetKeyId?: string
}

export interface Tag {
  TagKey: string
  TagValue: string
}

export const KEY_STATES = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable', 'Creating', 'Updating', 'PendingReplicaDeletion']
export const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT']
export const SYMMETRIC_SPECS = ['SYMMETRIC_DEFAULT']
export const ASYMMETRIC_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87', 'SM2']
export const HMAC_SPECS = ['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512']
export const ALL_SPECS = [...SYMMETRIC_SPECS, ...ASYMMETRIC_SPECS, ...HMAC_SPECS]

/** Epoch seconds (the JSON protocol's timestamps) as an ISO string. */
export function isoTime(seconds: number | undefined): string {
  return seconds === undefined ? '' : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}
