// The algorithm suites `encrypt` offers, by the names the AWS Encryption CLI uses. Only suites with key
// commitment: messages are made and read under REQUIRE_ENCRYPT_REQUIRE_DECRYPT, the ESDK's safe default.
import { AlgorithmSuiteIdentifier } from '@aws-crypto/client-node'

export const algorithmSuites = {
  /** The default: AES-256-GCM, HKDF-SHA512, key commitment, and an ECDSA P-384 signature over the message. */
  AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
  /** Without the signature: faster, but anyone who can decrypt the data key could also forge a message. */
  AES_256_GCM_HKDF_SHA512_COMMIT_KEY: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
} as const

export type AlgorithmSuiteName = keyof typeof algorithmSuites

export const DEFAULT_ALGORITHM_SUITE: AlgorithmSuiteName = 'AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384'

/** The suite id for `name`; throws RangeError (listing the names) for any other. */
export function algorithmSuiteId(name: string): AlgorithmSuiteIdentifier {
  if (!Object.hasOwn(algorithmSuites, name)) {
    throw new RangeError(`unknown algorithm suite ${name}; choose one of ${Object.keys(algorithmSuites).join(', ')}`)
  }
  return algorithmSuites[name as AlgorithmSuiteName]
}

/** The name of a suite id, for reporting what a message used; the ESDK's enum name for suites not offered here. */
export function algorithmSuiteName(id: AlgorithmSuiteIdentifier): string {
  const offered = Object.entries(algorithmSuites).find(([, value]) => value === id)
  return offered?.[0] ?? AlgorithmSuiteIdentifier[id] ?? String(id)
}
