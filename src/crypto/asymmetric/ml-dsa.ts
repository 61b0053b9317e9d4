// ML-DSA (FIPS 204) over @noble/post-quantum: keys from a 32-byte seed, hedged signing of a message
// (empty context) or of an external μ, and the key containers of RFC 9881 (seed-only PKCS#8, raw SPKI).
import { randomBytes } from 'node:crypto'
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js'
import { AsymmetricCryptoError } from './errors.js'
import { DerError, derChildren, derEncode, derObjectId, derRead, derReadExactly, derTag } from './der.js'
import type { MlDsaKind, SignedInput } from './schemes.js'

const parameterSets = { 'ml-dsa-44': ml_dsa44, 'ml-dsa-65': ml_dsa65, 'ml-dsa-87': ml_dsa87 } as const

/** id-ml-dsa-44/65/87 (NIST CSOR, used by RFC 9881). */
const objectIds: Record<MlDsaKind, string> = {
  'ml-dsa-44': '2.16.840.1.101.3.4.3.17',
  'ml-dsa-65': '2.16.840.1.101.3.4.3.18',
  'ml-dsa-87': '2.16.840.1.101.3.4.3.19',
}

export const mlDsaSignatureBytes: Record<MlDsaKind, number> = { 'ml-dsa-44': 2420, 'ml-dsa-65': 3309, 'ml-dsa-87': 4627 }
const seedBytes = 32
const muBytes = 64

/** An ML-DSA private key expanded from its seed (the seed itself is not kept). */
export interface MlDsaPrivateKey {
  family: 'ml-dsa'
  kind: MlDsaKind
  secretKey: Uint8Array
  publicKey: Uint8Array
}

function algorithmIdentifier(kind: MlDsaKind): Uint8Array {
  return derEncode(derTag.sequence, derObjectId(objectIds[kind]))
}

/** OneAsymmetricKey v1 whose privateKey is the `seed [0] IMPLICIT OCTET STRING (SIZE (32))` choice. */
function encodePrivateKey(kind: MlDsaKind, seed: Uint8Array): Uint8Array {
  const version = derEncode(derTag.integer, Uint8Array.of(0))
  const privateKey = derEncode(derTag.octetString, derEncode(derTag.context0, seed))
  return derEncode(derTag.sequence, version, algorithmIdentifier(kind), privateKey)
}

function encodePublicKey(kind: MlDsaKind, publicKey: Uint8Array): Uint8Array {
  const bits = new Uint8Array(publicKey.length + 1)
  bits.set(publicKey, 1)
  return derEncode(derTag.sequence, algorithmIdentifier(kind), derEncode(derTag.bitString, bits))
}

/** Matches AlgorithmIdentifier contents: the OID alone, parameters absent (RFC 9881 §2). */
function kindOfAlgorithm(algorithmContents: Uint8Array): MlDsaKind | undefined {
  for (const kind of Object.keys(objectIds) as MlDsaKind[]) {
    if (Buffer.from(derObjectId(objectIds[kind])).equals(algorithmContents)) return kind
  }
  return undefined
}

/** The ML-DSA parameter set of a PKCS#8 private key, or undefined when it is not an ML-DSA key. */
export function mlDsaKindOf(privateKeyDer: Uint8Array): MlDsaKind | undefined {
  try {
    const children = derChildren(derReadExactly(privateKeyDer, derTag.sequence).value)
    if (children.length < 3 || children[1]!.tag !== derTag.sequence) return undefined
    return kindOfAlgorithm(children[1]!.value)
  } catch (e) {
    if (e instanceof DerError) return undefined
    throw e
  }
}

/** The seed of the seed-form privateKey, or undefined for the expandedKey and both forms Trent never writes. */
function seedOf(privateKeyDer: Uint8Array): Uint8Array | undefined {
  try {
    const inner = derChildren(derReadExactly(privateKeyDer, derTag.sequence).value)[2]
    if (inner?.tag !== derTag.octetString) return undefined
    const choice = derRead(inner.value)
    return choice.tag === derTag.context0 && choice.length === inner.value.length ? choice.value : undefined
  } catch (e) {
    if (e instanceof DerError) return undefined
    throw e
  }
}

/**
 * Expands a seed-form PKCS#8 ML-DSA key. Keeps no reference to the DER, which the caller may zero.
 * Throws AsymmetricCryptoError('unusable-key') for another kind of key or the expanded form.
 */
export function expandMlDsaKey(privateKeyDer: Uint8Array): MlDsaPrivateKey {
  const kind = mlDsaKindOf(privateKeyDer)
  if (!kind) throw new AsymmetricCryptoError('unusable-key', 'private key is not an ML-DSA key')
  const seed = seedOf(privateKeyDer)
  if (seed?.length !== seedBytes) throw new AsymmetricCryptoError('unusable-key', 'ML-DSA private key is not in seed form')
  const { secretKey, publicKey } = parameterSets[kind].keygen(seed)
  return { family: 'ml-dsa', kind, secretKey, publicKey }
}

/** A fresh key pair: PKCS#8 (seed form) and SubjectPublicKeyInfo, both DER. */
export function generateMlDsaKeyPair(kind: MlDsaKind, givenSeed?: Uint8Array): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const seed = givenSeed ?? randomBytes(seedBytes)
  if (seed.length !== seedBytes) throw new RangeError('ML-DSA seed must be 32 bytes')
  const { secretKey, publicKey } = parameterSets[kind].keygen(seed)
  secretKey.fill(0) // only the public half is needed here
  try {
    return { privateKey: encodePrivateKey(kind, seed), publicKey: encodePublicKey(kind, publicKey) }
  } finally {
    if (!givenSeed) seed.fill(0) // our own seed now lives only inside the PKCS#8
  }
}

/** The SubjectPublicKeyInfo of an ML-DSA private key. Throws AsymmetricCryptoError('unusable-key'). */
export function mlDsaPublicKey(key: MlDsaPrivateKey): Uint8Array {
  return encodePublicKey(key.kind, key.publicKey)
}

/**
 * Signs with fresh randomness (the hedged variant of FIPS 204 Algorithm 2). `message` input uses the
 * empty context; `mu` input must be the 64-byte μ. Throws RangeError on other input forms or μ sizes.
 */
export function mlDsaSign(key: MlDsaPrivateKey, input: SignedInput): Uint8Array {
  const dsa = parameterSets[key.kind]
  if (input.form === 'message') return dsa.sign(input.bytes, key.secretKey, { extraEntropy: randomBytes(32) })
  if (input.form === 'mu' && input.bytes.length === muBytes) {
    return dsa.internal.sign(input.bytes, key.secretKey, { externalMu: true, extraEntropy: randomBytes(32) })
  }
  throw new RangeError('ML-DSA signs a message or a 64-byte mu')
}

/** True when `signature` is valid for the input; false for any malformed or wrong signature. */
export function mlDsaVerify(key: MlDsaPrivateKey, input: SignedInput, signature: Uint8Array): boolean {
  const dsa = parameterSets[key.kind]
  if (signature.length !== mlDsaSignatureBytes[key.kind]) return false
  if (input.form === 'message') return dsa.verify(signature, input.bytes, key.publicKey)
  if (input.form === 'mu' && input.bytes.length === muBytes) return dsa.internal.verify(signature, input.bytes, key.publicKey, { externalMu: true })
  throw new RangeError('ML-DSA verifies a message or a 64-byte mu')
}
