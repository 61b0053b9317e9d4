// The AWS key-spec matrix: which usages and algorithms each KeySpec allows (facts §4), and what
// material CreateKey makes for it.
import type { KeyPairKind } from '../crypto/asymmetric/schemes.js'
import type { EncryptionAlgorithmSpec, KeyAgreementAlgorithmSpec, KeySpec, KeyUsageType, MacAlgorithmSpec, SigningAlgorithmSpec } from '../wire/types.generated.js'

/** What a key version's material is: AES key, HMAC key of some length, a PKCS#8 private key, or none (unsupported spec). */
export type MaterialKind = { type: 'symmetric' } | { type: 'hmac'; bytes: number } | { type: 'key-pair'; kind: KeyPairKind } | { type: 'none' }

export interface KeySpecProfile {
  usages: readonly KeyUsageType[]
  /** The usage CreateKey picks when the caller gives none (undefined: KeyUsage is required). */
  defaultUsage?: KeyUsageType
  encryptionAlgorithms: readonly EncryptionAlgorithmSpec[]
  signingAlgorithms: readonly SigningAlgorithmSpec[]
  macAlgorithms: readonly MacAlgorithmSpec[]
  keyAgreementAlgorithms: readonly KeyAgreementAlgorithmSpec[]
  /** False until Trent implements the spec; CreateKey then refuses it. */
  supported: boolean
  material: MaterialKind
}

const none = { encryptionAlgorithms: [], signingAlgorithms: [], macAlgorithms: [], keyAgreementAlgorithms: [], supported: true } as const

const symmetric: KeySpecProfile = {
  ...none, usages: ['ENCRYPT_DECRYPT'], defaultUsage: 'ENCRYPT_DECRYPT', encryptionAlgorithms: ['SYMMETRIC_DEFAULT'], material: { type: 'symmetric' },
}

/** HMAC keys: key material as long as the hash output, one MAC algorithm each. */
function hmac(bits: 224 | 256 | 384 | 512): KeySpecProfile {
  return { ...none, usages: ['GENERATE_VERIFY_MAC'], macAlgorithms: [`HMAC_SHA_${bits}`], material: { type: 'hmac', bytes: bits / 8 } }
}

function rsa(kind: KeyPairKind): KeySpecProfile {
  return {
    ...none, usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], material: { type: 'key-pair', kind },
    encryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
    signingAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'],
  }
}

/** NIST curves sign or agree keys; each curve is paired with one ECDSA hash. */
function nistCurve(kind: KeyPairKind, signing: SigningAlgorithmSpec): KeySpecProfile {
  return { ...none, usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], signingAlgorithms: [signing], keyAgreementAlgorithms: ['ECDH'], material: { type: 'key-pair', kind } }
}

function signingOnly(kind: KeyPairKind, signing: SigningAlgorithmSpec[]): KeySpecProfile {
  return { ...none, usages: ['SIGN_VERIFY'], signingAlgorithms: signing, material: { type: 'key-pair', kind } }
}

const profiles: Record<KeySpec, KeySpecProfile> = {
  SYMMETRIC_DEFAULT: symmetric,
  HMAC_224: hmac(224),
  HMAC_256: hmac(256),
  HMAC_384: hmac(384),
  HMAC_512: hmac(512),
  RSA_2048: rsa('rsa-2048'),
  RSA_3072: rsa('rsa-3072'),
  RSA_4096: rsa('rsa-4096'),
  ECC_NIST_P256: nistCurve('p-256', 'ECDSA_SHA_256'),
  ECC_NIST_P384: nistCurve('p-384', 'ECDSA_SHA_384'),
  ECC_NIST_P521: nistCurve('p-521', 'ECDSA_SHA_512'),
  ECC_SECG_P256K1: signingOnly('secp256k1', ['ECDSA_SHA_256']),
  ECC_NIST_EDWARDS25519: signingOnly('ed25519', ['ED25519_SHA_512', 'ED25519_PH_SHA_512']),
  ML_DSA_44: signingOnly('ml-dsa-44', ['ML_DSA_SHAKE_256']),
  ML_DSA_65: signingOnly('ml-dsa-65', ['ML_DSA_SHAKE_256']),
  ML_DSA_87: signingOnly('ml-dsa-87', ['ML_DSA_SHAKE_256']),
  // SM2 exists only in AWS's China Regions; no maintained Node library does SM2DSA/SM2PKE correctly.
  SM2: { ...none, usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'], supported: false, material: { type: 'none' } },
}

export function keySpecProfile(spec: KeySpec): KeySpecProfile {
  return profiles[spec]
}

/** True for the specs whose keys hold a key pair (GetPublicKey, Sign, asymmetric Encrypt…). */
export function isAsymmetricSpec(spec: KeySpec): boolean {
  return profiles[spec].material.type === 'key-pair'
}
