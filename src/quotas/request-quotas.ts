// AWS KMS's request quotas (facts §13) as data: which quota class each request draws from, and each class's
// default rate per account and Region. Crypto operations draw from the class of the key they use.
import type { OperationName } from '../wire/types.generated.js'

/** Requests per second, per account, for each quota class, as AWS sets them by default. */
export const DEFAULT_QUOTA_RATES: Readonly<Record<string, number>> = {
  // Shared cryptographic quotas: symmetric (and HMAC) keys, RSA keys, elliptic-curve keys, ML-DSA keys.
  symmetric: 10_000,
  rsa: 1_000,
  ecc: 1_000,
  'ml-dsa': 1_000,
  // GenerateRandom is one of the shared symmetric operations; its own class lets an operator cap it further.
  GenerateRandom: 10_000,
  // GenerateDataKeyPair(WithoutPlaintext): a quota per data key pair spec, on top of the wrapping key's class.
  'GenerateDataKeyPair:ECC_NIST_P256': 25,
  'GenerateDataKeyPair:ECC_NIST_P384': 10,
  'GenerateDataKeyPair:ECC_NIST_P521': 5,
  'GenerateDataKeyPair:ECC_SECG_P256K1': 25,
  'GenerateDataKeyPair:ECC_NIST_EDWARDS25519': 25,
  'GenerateDataKeyPair:SM2': 25,
  'GenerateDataKeyPair:RSA_2048': 1,
  'GenerateDataKeyPair:RSA_3072': 0.5,
  'GenerateDataKeyPair:RSA_4096': 0.1,
  // Management operations, each its own quota.
  DescribeKey: 2_000, GetPublicKey: 2_000, ListResourceTags: 2_000,
  GetKeyPolicy: 1_000, GetKeyRotationStatus: 1_000,
  ListAliases: 500, ListKeys: 500,
  ListGrants: 100, ListKeyPolicies: 100, ListRetirableGrants: 100,
  CreateGrant: 50,
  RetireGrant: 30, RevokeGrant: 30,
  DeleteAlias: 15, EnableKeyRotation: 15, PutKeyPolicy: 15, ScheduleKeyDeletion: 15,
  TagResource: 10,
  GetParametersForImport: 0.25,
  // CloudTrail's LookupEvents, served on the same port: 2 per second per account and Region, as in AWS.
  LookupEvents: 2,
}

/** AWS's quota for every management operation the table above does not name (CreateKey, EnableKey, …). */
export const DEFAULT_MANAGEMENT_RATE = 5

/** Operations counted against a shared cryptographic quota, chosen by the key's spec. */
const CRYPTOGRAPHIC: ReadonlySet<string> = new Set([
  'Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'VerifyMac',
  'Sign', 'Verify', 'DeriveSharedSecret', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateRandom',
])

/** The shared cryptographic class of a key spec. */
export function cryptoClassOf(keySpec: string | undefined): string {
  if (keySpec === undefined || keySpec === 'SYMMETRIC_DEFAULT' || keySpec.startsWith('HMAC_')) return 'symmetric'
  if (keySpec.startsWith('RSA_')) return 'rsa'
  if (keySpec.startsWith('ML_DSA_')) return 'ml-dsa'
  return 'ecc' // ECC_* and SM2
}

/**
 * Every quota class one request draws from: a cryptographic operation the class of its key (symmetric when the
 * key is not known), GenerateRandom the symmetric class and its own, a data key pair also its spec's class, and a
 * management operation its own. `keyPairSpec` is GenerateDataKeyPair's KeyPairSpec member when it has one.
 */
export function quotaClassesOf(operation: OperationName | string, keySpec: string | undefined, keyPairSpec?: unknown): string[] {
  if (!CRYPTOGRAPHIC.has(operation)) return [operation]
  const classes = [cryptoClassOf(keySpec)]
  if (operation === 'GenerateRandom') classes.push('GenerateRandom')
  if (operation.startsWith('GenerateDataKeyPair') && typeof keyPairSpec === 'string') {
    const pairClass = `GenerateDataKeyPair:${keyPairSpec}`
    if (Object.hasOwn(DEFAULT_QUOTA_RATES, pairClass)) classes.push(pairClass)
  }
  return classes
}

/** A class's default rate: its own entry, else the management default. */
export function defaultRateOf(quotaClass: string): number {
  return Object.hasOwn(DEFAULT_QUOTA_RATES, quotaClass) ? DEFAULT_QUOTA_RATES[quotaClass]! : DEFAULT_MANAGEMENT_RATE
}
