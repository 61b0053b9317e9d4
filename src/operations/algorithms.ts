// AWS algorithm names mapped to the crypto layer's schemes, with the sizes the wire checks against.
import type { MacHash } from '../crypto/hmac.js'
import type { OaepHash } from '../crypto/asymmetric/rsa-oaep.js'
import type { SignatureScheme } from '../crypto/asymmetric/schemes.js'
import type { EncryptionAlgorithmSpec, MacAlgorithmSpec, SigningAlgorithmSpec } from '../wire/types.generated.js'

export interface SigningAlgorithm {
  scheme: SignatureScheme
  /** Bytes a DIGEST message must have; undefined when the algorithm takes no DIGEST input. */
  digestBytes?: number
}

const signing: Partial<Record<SigningAlgorithmSpec, SigningAlgorithm>> = {
  RSASSA_PSS_SHA_256: { scheme: { family: 'rsa-pss', hash: 'sha256' }, digestBytes: 32 },
  RSASSA_PSS_SHA_384: { scheme: { family: 'rsa-pss', hash: 'sha384' }, digestBytes: 48 },
  RSASSA_PSS_SHA_512: { scheme: { family: 'rsa-pss', hash: 'sha512' }, digestBytes: 64 },
  RSASSA_PKCS1_V1_5_SHA_256: { scheme: { family: 'rsa-pkcs1', hash: 'sha256' }, digestBytes: 32 },
  RSASSA_PKCS1_V1_5_SHA_384: { scheme: { family: 'rsa-pkcs1', hash: 'sha384' }, digestBytes: 48 },
  RSASSA_PKCS1_V1_5_SHA_512: { scheme: { family: 'rsa-pkcs1', hash: 'sha512' }, digestBytes: 64 },
  ECDSA_SHA_256: { scheme: { family: 'ecdsa', hash: 'sha256' }, digestBytes: 32 },
  ECDSA_SHA_384: { scheme: { family: 'ecdsa', hash: 'sha384' }, digestBytes: 48 },
  ECDSA_SHA_512: { scheme: { family: 'ecdsa', hash: 'sha512' }, digestBytes: 64 },
  ED25519_SHA_512: { scheme: { family: 'ed25519' } },
  ED25519_PH_SHA_512: { scheme: { family: 'ed25519ph' }, digestBytes: 64 },
  ML_DSA_SHAKE_256: { scheme: { family: 'ml-dsa' } },
}

/** The crypto scheme of an AWS signing algorithm Trent implements (SM2DSA: undefined). */
export function signingAlgorithm(spec: SigningAlgorithmSpec): SigningAlgorithm | undefined {
  return signing[spec]
}

const oaep: Partial<Record<EncryptionAlgorithmSpec, OaepHash>> = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' }

export function oaepHashOf(spec: EncryptionAlgorithmSpec): OaepHash | undefined {
  return oaep[spec]
}

const mac: Record<MacAlgorithmSpec, MacHash> = { HMAC_SHA_224: 'sha224', HMAC_SHA_256: 'sha256', HMAC_SHA_384: 'sha384', HMAC_SHA_512: 'sha512' }

export function macHashOf(spec: MacAlgorithmSpec): MacHash {
  return mac[spec]
}
