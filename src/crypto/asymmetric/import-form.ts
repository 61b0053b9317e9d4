// Private keys brought in from outside (ImportKeyMaterial): PKCS#8 DER checked against the key-pair kind
// the key was created as, and re-encoded in the one form Trent stores, so the same key always yields the
// same bytes (and the same material id) however the customer's tool encoded it.
import { createPrivateKey, type KeyObject } from 'node:crypto'
import { expandMlDsaKey, mlDsaKindOf } from './ml-dsa.js'
import type { KeyPairKind } from './schemes.js'

const rsaBits: Partial<Record<KeyPairKind, number>> = { 'rsa-2048': 2048, 'rsa-3072': 3072, 'rsa-4096': 4096 }
const curves: Partial<Record<KeyPairKind, string>> = { 'p-256': 'prime256v1', 'p-384': 'secp384r1', 'p-521': 'secp521r1', secp256k1: 'secp256k1' }

function isKind(key: KeyObject, kind: KeyPairKind): boolean {
  const details = key.asymmetricKeyDetails
  if (kind === 'ed25519') return key.asymmetricKeyType === 'ed25519'
  if (rsaBits[kind] !== undefined) {
    return key.asymmetricKeyType === 'rsa' && details?.modulusLength === rsaBits[kind] && details.publicExponent === 0x10001n
  }
  return key.asymmetricKeyType === 'ec' && details?.namedCurve === curves[kind]
}

/**
 * The canonical PKCS#8 DER of `der` when it is a private key of `kind`, else undefined. ML-DSA keys must be
 * in the seed form (the form Trent generates) and are kept as given. Never keeps or zeroes `der`.
 */
export function canonicalImportedPrivateKey(der: Uint8Array, kind: KeyPairKind): Uint8Array | undefined {
  if (kind.startsWith('ml-dsa-')) return mlDsaSeedForm(der, kind)
  let key: KeyObject
  try {
    key = createPrivateKey({ key: Buffer.from(der.buffer, der.byteOffset, der.byteLength), format: 'der', type: 'pkcs8' })
  } catch {
    return undefined
  }
  if (!isKind(key, kind)) return undefined
  const exported = key.export({ type: 'pkcs8', format: 'der' })
  const copy = new Uint8Array(exported)
  exported.fill(0)
  return copy
}

function mlDsaSeedForm(der: Uint8Array, kind: KeyPairKind): Uint8Array | undefined {
  if (mlDsaKindOf(der) !== kind) return undefined
  try {
    expandMlDsaKey(der).secretKey.fill(0)
  } catch {
    return undefined
  }
  return new Uint8Array(der)
}
