// The vocabulary of Trent's asymmetric crypto: key-pair kinds, hashes and signature schemes, named by
// the standards rather than by any wire protocol.

export type RsaKind = 'rsa-2048' | 'rsa-3072' | 'rsa-4096'
/** Short-Weierstrass curves OpenSSL knows by these names. */
export type EcKind = 'p-256' | 'p-384' | 'p-521' | 'secp256k1'
export type MlDsaKind = 'ml-dsa-44' | 'ml-dsa-65' | 'ml-dsa-87'
export type KeyPairKind = RsaKind | EcKind | 'ed25519' | MlDsaKind

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512'

export type SignatureScheme =
  | { family: 'rsa-pss'; hash: Exclude<HashName, 'sha1'> }
  | { family: 'rsa-pkcs1'; hash: Exclude<HashName, 'sha1'> }
  | { family: 'ecdsa'; hash: Exclude<HashName, 'sha1'> }
  /** Pure Ed25519 (RFC 8032 §5.1): the message itself is signed. */
  | { family: 'ed25519' }
  /** HashEdDSA Ed25519ph (RFC 8032 §5.1, FIPS 186-5 §7.8.1): SHA-512 of the input is signed with dom2(1, ''). */
  | { family: 'ed25519ph' }
  /** ML-DSA (FIPS 204) with an empty context; not HashML-DSA. */
  | { family: 'ml-dsa' }

/**
 * What the caller hands to sign/verify: the message itself, a digest the caller already computed with
 * the scheme's hash (never hashed again), or the ML-DSA message representative μ (FIPS 204 §6.2).
 */
export type SignedInputForm = 'message' | 'digest' | 'mu'

export interface SignedInput {
  form: SignedInputForm
  bytes: Uint8Array
}

export const hashBytes: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }

/** Bytes of the modulus of each RSA kind. */
export const rsaModulusBytes: Record<RsaKind, number> = { 'rsa-2048': 256, 'rsa-3072': 384, 'rsa-4096': 512 }

/** The largest plaintext RSAES-OAEP can take (RFC 8017 §7.1.1): k − 2·hLen − 2. */
export function oaepMaxPlaintext(kind: RsaKind, hash: HashName): number {
  return rsaModulusBytes[kind] - 2 * hashBytes[hash] - 2
}
